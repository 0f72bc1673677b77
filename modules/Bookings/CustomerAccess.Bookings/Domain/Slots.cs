using System.Globalization;

namespace CustomerAccess.Bookings.Domain;

internal static class ResourceTypes
{
    public const string Pitch = "pitch";
    public const string Pavilion = "pavilion";
    public const string Room = "room";
    public const string BulkyWaste = "bulky-waste";
}

internal static class BookingStatuses
{
    public const string Held = "held";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
    public const string Released = "released";
}

internal static class BulkyStates
{
    public const string Held = "held";
    public const string AwaitingPayment = "awaiting-payment";
    public const string Confirmed = "confirmed";
    public const string WorksOrderRaised = "works-order-raised";
    public const string Released = "released";
    public const string ReleasedRefunded = "released-refunded";
    public const string Cancelled = "cancelled";
}

/// <summary>A bookable resource and its opening rules (weekdays, local start times, slot length or all day).</summary>
internal sealed record Resource(
    string Id, string Type, string Name, long PricePence, int Capacity, IReadOnlyList<int> Weekdays, IReadOnlyList<string> Starts, int? SlotMinutes);

/// <summary>One generated slot: its id is "{resourceId}:{yyyyMMddTHHmm}" in Europe/London local time.</summary>
internal sealed record Slot(string ResourceId, string Key, DateTimeOffset Start, DateTimeOffset End)
{
    public string Id => $"{ResourceId}:{Key}";
    public DateOnly LocalDate => DateOnly.FromDateTime(SlotCalendar.ToLocal(Start).DateTime);
}

/// <summary>Slots from opening rules, in Europe/London (daylight saving handled by the zone).</summary>
internal static class SlotCalendar
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private const string KeyFormat = "yyyyMMdd'T'HHmm";

    public static DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLocal(now).DateTime);

    /// <summary>The instant (in UTC, as PostgreSQL takes it) of a London wall-clock time (an hour skipped in spring moves forward).</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>Every slot of the resource on local dates from..to inclusive.</summary>
    public static IEnumerable<Slot> Between(Resource resource, DateOnly from, DateOnly to)
    {
        // A slot id can name any date: none on the calendar's last day (its slots would end past it), and no step beyond it.
        var last = to < DateOnly.MaxValue ? to : DateOnly.MaxValue.AddDays(-1);
        for (var date = from; date <= last; date = date.AddDays(1))
        {
            var iso = date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
            if (!resource.Weekdays.Contains(iso)) continue;
            foreach (var slot in OnDate(resource, date)) yield return slot;
        }
    }

    private static IEnumerable<Slot> OnDate(Resource resource, DateOnly date)
    {
        if (resource.SlotMinutes is null)
        {
            yield return new Slot(resource.Id, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "T0000",
                At(date, TimeOnly.MinValue), At(date.AddDays(1), TimeOnly.MinValue));
            yield break;
        }
        foreach (var s in resource.Starts)
        {
            var time = TimeOnly.ParseExact(s, "HH:mm", CultureInfo.InvariantCulture);
            var start = date.ToDateTime(time);
            var end = start.AddMinutes(resource.SlotMinutes.Value);
            yield return new Slot(resource.Id, start.ToString(KeyFormat, CultureInfo.InvariantCulture),
                At(date, time), At(DateOnly.FromDateTime(end), TimeOnly.FromDateTime(end)));
        }
    }

    /// <summary>Parses "{resourceId}:{yyyyMMddTHHmm}"; null when it is not that shape.</summary>
    public static (string ResourceId, DateTime Local)? Parse(string? slotId)
    {
        if (string.IsNullOrWhiteSpace(slotId) || slotId.Length > 200) return null;
        var colon = slotId.LastIndexOf(':');
        if (colon <= 0) return null;
        if (!DateTime.TryParseExact(slotId[(colon + 1)..], KeyFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return (slotId[..colon], local);
    }

    /// <summary>The slot a slot id names, if the resource's rules generate it.</summary>
    public static Slot? Find(Resource resource, string slotId)
    {
        if (Parse(slotId) is not { } parsed || parsed.ResourceId != resource.Id) return null;
        var date = DateOnly.FromDateTime(parsed.Local);
        return Between(resource, date, date).FirstOrDefault(s => s.Id == slotId);
    }

    /// <summary>"Tue 12 Jan", as the timeline reads a day.</summary>
    public static string Day(DateOnly date) => date.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    /// <summary>"Sat 16 Jan 10:00".</summary>
    public static string DayTime(DateTimeOffset at) => ToLocal(at).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
}
