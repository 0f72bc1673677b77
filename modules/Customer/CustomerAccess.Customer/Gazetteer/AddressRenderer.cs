using System.Globalization;
using System.Text;

namespace CustomerAccess.Customer.Gazetteer;

/// <summary>How a street reads (record 15), as the renderer needs it.</summary>
internal sealed record StreetName(string Description, string? Locality, string? Town);

/// <summary>
/// Renders an LPI as address lines, the way a letter would be addressed:
/// <list type="number">
/// <item>SAO (flat, unit): its text and number range on one line ("Flat 2", "Unit 1-3", "Basement Flat");
/// a number-only SAO goes in front of a PAO text instead ("2 Rose Court").</item>
/// <item>PAO text (a house or building name) on its own line.</item>
/// <item>PAO number range in front of the street ("12A High Street", "12-14 High Street"); without one
/// the street is its own line.</item>
/// <item>Locality (when not the town), then town (the street's, else the LPI's post town).</item>
/// </list>
/// The postcode is kept apart (the API returns it as its own field).
/// </summary>
internal static class AddressRenderer
{
    public static string Range(NumberRange range)
    {
        if (range.StartNumber is not { } start) return "";
        var text = start.ToString(CultureInfo.InvariantCulture) + range.StartSuffix;
        if (range.EndNumber is { } end)
            text += "-" + end.ToString(CultureInfo.InvariantCulture) + range.EndSuffix;
        return text;
    }

    public static string[] Lines(LpiRecord lpi, StreetName? street)
    {
        var lines = new List<string>(5);
        var saoRange = Range(lpi.SaoNumbers);
        var paoRange = Range(lpi.PaoNumbers);
        var saoNumberOnly = lpi.SaoText is null && saoRange.Length > 0;

        if (!saoNumberOnly || lpi.PaoText is null)
            Add(lines, Join(" ", lpi.SaoText, saoRange));

        var paoText = saoNumberOnly && lpi.PaoText is not null ? saoRange + " " + lpi.PaoText : lpi.PaoText;
        Add(lines, paoText);

        Add(lines, Join(" ", paoRange, street?.Description));

        var town = street?.Town ?? lpi.PostTown;
        if (street?.Locality is { } locality && !string.Equals(locality, town, StringComparison.OrdinalIgnoreCase))
            Add(lines, locality);
        Add(lines, town);
        return lines.ToArray();
    }

    /// <summary>
    /// The text the lookup searches: the lines and the postcode (with and without its space), upper
    /// case, punctuation and range dashes as spaces, padded with spaces so " 12 " matches a whole word.
    /// </summary>
    public static string SearchText(IEnumerable<string> lines, string? postcode)
    {
        var parts = lines.ToList();
        if (postcode is not null)
        {
            parts.Add(postcode);
            parts.Add(postcode.Replace(" ", "", StringComparison.Ordinal));
        }
        return " " + Normalise(string.Join(' ', parts)) + " ";
    }

    /// <summary>Upper case; anything not a letter or digit becomes one space.</summary>
    public static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = true;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch) || ch == '\'')
            {
                if (ch != '\'') sb.Append(char.ToUpperInvariant(ch));
                space = false;
            }
            else if (!space)
            {
                sb.Append(' ');
                space = true;
            }
        }
        return sb.ToString().TrimEnd();
    }

    private static string Join(string separator, params string?[] parts) =>
        string.Join(separator, parts.Where(p => !string.IsNullOrEmpty(p)));

    private static void Add(List<string> lines, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line)) lines.Add(line);
    }
}
