using System.Globalization;
using System.Text;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// A minimal RFC 5545 writer for all-day events: CRLF line endings, TEXT values escaped, and content
/// lines folded so no line is longer than 75 octets (continuations start with one space, and a
/// multi-byte UTF-8 character is never split).
/// </summary>
internal static class ICalendar
{
    public const string ProductId = "-//CustomerAccess//Waste collections//EN";
    private const int MaxOctets = 75;

    internal sealed record DayEvent(string Uid, DateOnly Date, string Summary, string? Description);

    public static string Write(string calendarName, IEnumerable<DayEvent> events, DateTimeOffset stamp)
    {
        var sb = new StringBuilder();
        var dtstamp = stamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:" + ProductId);
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:PUBLISH");
        Line(sb, "X-WR-CALNAME:" + Escape(calendarName));
        foreach (var e in events)
        {
            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + Escape(e.Uid));
            Line(sb, "DTSTAMP:" + dtstamp);
            Line(sb, "DTSTART;VALUE=DATE:" + Date(e.Date));
            Line(sb, "DTEND;VALUE=DATE:" + Date(e.Date.AddDays(1)));
            Line(sb, "SUMMARY:" + Escape(e.Summary));
            if (!string.IsNullOrEmpty(e.Description)) Line(sb, "DESCRIPTION:" + Escape(e.Description));
            Line(sb, "TRANSP:TRANSPARENT");
            Line(sb, "END:VEVENT");
        }
        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    private static string Date(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping (RFC 5545 3.3.11).</summary>
    public static string Escape(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\n", StringComparison.Ordinal);

    /// <summary>Appends one content line, folded at 75 octets (RFC 5545 3.1), ending in CRLF.</summary>
    internal static void Line(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = MaxOctets;
        for (var i = 0; i < line.Length; i++)
        {
            var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var bytes = Encoding.UTF8.GetByteCount(line.AsSpan(i, width));
            if (octets + bytes > limit)
            {
                sb.Append("\r\n ");
                octets = 1; // the leading space counts towards the next line's 75
            }
            sb.Append(line, i, width);
            octets += bytes;
            i += width - 1;
        }
        sb.Append("\r\n");
    }
}
