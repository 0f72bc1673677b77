using System.Globalization;

namespace CustomerAccess.Waste.Domain;

/// <summary>The bins a round collects.</summary>
internal static class Containers
{
    public const string Refuse = "refuse";
    public const string Recycling = "recycling";
    public const string Food = "food";
    public const string Garden = "garden";

    public static readonly IReadOnlyList<string> All = [Refuse, Recycling, Food, Garden];
}

/// <summary>A round: one container collected on the anchor's weekday, every <see cref="IntervalWeeks"/> weeks.</summary>
internal sealed record Round(string Id, string Container, string Frequency, DateOnly Anchor, string Name)
{
    public const string Weekly = "weekly";
    public const string Fortnightly = "fortnightly";

    public int IntervalWeeks => Frequency == Fortnightly ? 2 : 1;
    public DayOfWeek Weekday => Anchor.DayOfWeek;
}

/// <summary>
/// Collection days. A round collects on anchor + 7·interval·k (scheduled days). Bank holidays shift
/// collections the usual English way: in a Monday–Sunday week with a bank holiday, every collection
/// on or after the holiday moves one day later for each holiday on or before it, onto the next day
/// that is not a bank holiday (so the crews catch up on Saturday). Formally: the week's n-th
/// scheduled weekday (Monday = 0) is collected on the n-th day of that week, counting from Monday,
/// that is not a bank holiday. Christmas 2026: Friday 25 December's collections are on Saturday 26th;
/// in the week of Monday 28 December (substitute Boxing Day) and Friday 1 January, Monday's move to
/// Tuesday, ..., Wednesday's to Thursday, Thursday's to Saturday 2 January and Friday's to Sunday 3rd.
/// </summary>
internal static class CollectionCalendar
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Missed bins may be reported from this local time on collection day.</summary>
    public static readonly TimeOnly CollectionDayOver = new(16, 0);

    /// <summary>And up to the end of this many working days after the collection.</summary>
    public const int ReportWithinWorkingDays = 2;

    public static DateTime LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, London).DateTime;

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(LocalTime(instant));

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int IsoIndex(DateOnly date) => ((int)date.DayOfWeek + 6) % 7; // Monday = 0

    /// <summary>Where a collection scheduled for <paramref name="scheduled"/> actually happens.</summary>
    public static DateOnly Shift(DateOnly scheduled, IReadOnlySet<DateOnly> holidays)
    {
        var index = IsoIndex(scheduled);
        var monday = scheduled.AddDays(-index);
        var day = monday;
        var n = -1;
        for (var guard = 0; guard < 31; guard++, day = day.AddDays(1))
        {
            if (holidays.Contains(day)) continue;
            if (++n == index) return day;
        }
        return scheduled; // unreachable with real holiday lists
    }

    /// <summary>The round's actual collection days from <paramref name="from"/> to <paramref name="to"/> inclusive, in order.</summary>
    public static IEnumerable<DateOnly> Collections(Round round, DateOnly from, DateOnly to, IReadOnlySet<DateOnly> holidays)
    {
        var step = 7 * round.IntervalWeeks;
        // Shifts move a collection at most a week later: start a fortnight early to catch those.
        var start = from.AddDays(-14);
        var offset = start.DayNumber - round.Anchor.DayNumber;
        var k = (int)Math.Floor(offset / (double)step);
        for (var scheduled = round.Anchor.AddDays(k * step); scheduled <= to; scheduled = scheduled.AddDays(step))
        {
            var actual = Shift(scheduled, holidays);
            if (actual >= from && actual <= to) yield return actual;
        }
    }

    /// <summary>The next collection on or after <paramref name="today"/>.</summary>
    public static DateOnly Next(Round round, DateOnly today, IReadOnlySet<DateOnly> holidays) =>
        Collections(round, today, today.AddDays(7 * round.IntervalWeeks + 14), holidays).First();

    /// <summary>The latest collection on or before <paramref name="today"/>, if any in the last few weeks.</summary>
    public static DateOnly? Last(Round round, DateOnly today, IReadOnlySet<DateOnly> holidays) =>
        Collections(round, today.AddDays(-7 * round.IntervalWeeks - 14), today, holidays).Select(d => (DateOnly?)d).LastOrDefault();

    /// <summary>The last day a miss of the collection on <paramref name="collection"/> can be reported: two working days after it.</summary>
    public static DateOnly ReportDeadline(DateOnly collection, IReadOnlySet<DateOnly> holidays)
    {
        var day = collection;
        var left = ReportWithinWorkingDays;
        while (left > 0)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day)) left--;
        }
        return day;
    }

    /// <summary>
    /// Why a missed bin cannot be reported at <paramref name="now"/> (before <see cref="CollectionDayOver"/> on
    /// collection day: the crew may still come), or null with the collection it is about: the latest one.
    /// </summary>
    public static (DateOnly? Collection, string? Refusal) MissedCollection(Round round, DateTimeOffset now, IReadOnlySet<DateOnly> holidays)
    {
        var local = LocalTime(now);
        var today = DateOnly.FromDateTime(local);
        var last = Last(round, today, holidays);
        if (last == today && TimeOnly.FromDateTime(local) < CollectionDayOver)
        {
            return (null, $"Today is collection day for the {round.Container} bin; crews work until {CollectionDayOver:HH\\:mm}, " +
                $"so a missed bin can be reported from then.");
        }
        // A late report (past ReportDeadline) is still taken, about the last collection: the contract
        // promises a works order for a report, and the contractor decides whether a late one is
        // still worth a return visit (the works order says when the collection was).
        if (last is null)
        {
            return (null, $"There has been no {round.Container} collection from this property's round yet; " +
                $"the first is {Text(Next(round, today.AddDays(1), holidays))}.");
        }
        return (last, null);
    }
}
