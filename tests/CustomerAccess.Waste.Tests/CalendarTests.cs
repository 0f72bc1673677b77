using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;

namespace CustomerAccess.Waste.Tests;

/// <summary>Collection days, bank-holiday shifts and the missed-bin reporting window, on fixed dates.</summary>
public class CalendarTests
{
    // England and Wales, as the Tenancy module seeds them.
    private static readonly HashSet<DateOnly> Holidays =
    [
        new(2026, 8, 31), new(2026, 12, 25), new(2026, 12, 28), new(2027, 1, 1), new(2027, 3, 26), new(2027, 3, 29),
    ];

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [TestCase(2026, 12, 21, 2026, 12, 21)] // Monday before Christmas: unchanged
    [TestCase(2026, 12, 24, 2026, 12, 24)] // Thursday before the holiday: unchanged
    [TestCase(2026, 12, 25, 2026, 12, 26)] // Christmas Day (Friday) -> Saturday
    [TestCase(2026, 12, 28, 2026, 12, 29)] // substitute Boxing Day (Monday) -> Tuesday
    [TestCase(2026, 12, 29, 2026, 12, 30)]
    [TestCase(2026, 12, 30, 2026, 12, 31)]
    [TestCase(2026, 12, 31, 2027, 1, 2)]   // Thursday: past New Year's Day too -> Saturday
    [TestCase(2027, 1, 1, 2027, 1, 3)]     // New Year's Day (Friday): two holidays that week -> Sunday
    [TestCase(2027, 1, 4, 2027, 1, 4)]     // the week after: back to normal
    [TestCase(2026, 9, 4, 2026, 9, 5)]     // summer bank holiday week: Friday -> Saturday
    [TestCase(2026, 8, 28, 2026, 8, 28)]   // the week before: unchanged
    public void A_collection_on_or_after_a_bank_holiday_in_its_week_moves_later(int y, int m, int d, int ey, int em, int ed) =>
        Assert.That(CollectionCalendar.Shift(D(y, m, d), Holidays), Is.EqualTo(D(ey, em, ed)));

    [Test]
    public void Weekly_and_fortnightly_rounds_collect_on_their_days_with_the_shifts()
    {
        var food = new Round("food-fri", Containers.Food, Round.Weekly, D(2026, 1, 9), "Food fri");
        Assert.That(CollectionCalendar.Collections(food, D(2026, 12, 14), D(2027, 1, 10), Holidays),
            Is.EqualTo(new[] { D(2026, 12, 18), D(2026, 12, 26), D(2027, 1, 3), D(2027, 1, 8) }));

        var refuse = new Round("refuse-mon-b", Containers.Refuse, Round.Fortnightly, D(2026, 1, 12), "Refuse mon B");
        Assert.That(CollectionCalendar.Collections(refuse, D(2026, 12, 14), D(2027, 1, 31), Holidays),
            Is.EqualTo(new[] { D(2026, 12, 14), D(2026, 12, 29), D(2027, 1, 11), D(2027, 1, 25) }));
    }

    [Test]
    public void Next_collection_counts_today_and_follows_the_shift()
    {
        var refuse = new Round("refuse-fri-a", Containers.Refuse, Round.Fortnightly, D(2026, 1, 9), "Refuse fri A");
        Assert.Multiple(() =>
        {
            // 2026-12-25 is a scheduled Friday (anchor + 50 weeks): shifted to Saturday the 26th.
            Assert.That(CollectionCalendar.Next(refuse, D(2026, 12, 21), Holidays), Is.EqualTo(D(2026, 12, 26)));
            Assert.That(CollectionCalendar.Next(refuse, D(2026, 12, 26), Holidays), Is.EqualTo(D(2026, 12, 26)));
            Assert.That(CollectionCalendar.Next(refuse, D(2026, 12, 27), Holidays), Is.EqualTo(D(2027, 1, 8)));
        });
    }

    [Test]
    public void Missed_bins_are_reportable_from_16_00_on_collection_day_and_late_ones_are_about_the_last_collection()
    {
        var refuse = new Round("refuse-thu-a", Containers.Refuse, Round.Fortnightly, D(2026, 1, 8), "Refuse thu A");
        var day = CollectionCalendar.Collections(refuse, D(2026, 11, 16), D(2026, 11, 29), Holidays).Single();
        Assert.That(day.DayOfWeek, Is.EqualTo(DayOfWeek.Thursday));
        DateTimeOffset At(DateOnly date, int hour) => new(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero); // GMT in November

        Assert.Multiple(() =>
        {
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day, 15), Holidays).Refusal, Does.Contain("16:00"));
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day, 16), Holidays).Collection, Is.EqualTo(day));
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day.AddDays(1), 9), Holidays).Collection, Is.EqualTo(day));
            // Thursday + 2 working days = Monday (the weekend does not count).
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day.AddDays(4), 23), Holidays).Collection, Is.EqualTo(day));
            Assert.That(CollectionCalendar.ReportDeadline(day, Holidays), Is.EqualTo(day.AddDays(4)));
            // Late, still about that collection: the report is taken and the contractor decides.
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day.AddDays(5), 9), Holidays).Collection, Is.EqualTo(day));
            Assert.That(CollectionCalendar.MissedCollection(refuse, At(day.AddDays(5), 9), Holidays).Refusal, Is.Null);
        });
    }

    [Test]
    public void The_reporting_window_skips_bank_holidays()
    {
        // Collected Thursday 2026-12-24; Friday 25th and Monday 28th are holidays: deadline Wednesday 30th.
        Assert.That(CollectionCalendar.ReportDeadline(D(2026, 12, 24), Holidays), Is.EqualTo(D(2026, 12, 30)));
    }

    [Test]
    public void Local_time_is_London_time_in_summer()
    {
        var refuse = new Round("refuse-thu-a", Containers.Refuse, Round.Weekly, D(2026, 1, 8), "Refuse thu");
        // Thursday 2026-07-02, 15:30 UTC = 16:30 BST: the collection day is over.
        var at = new DateTimeOffset(2026, 7, 2, 15, 30, 0, TimeSpan.Zero);
        Assert.That(CollectionCalendar.MissedCollection(refuse, at, Holidays).Collection, Is.EqualTo(D(2026, 7, 2)));
    }

    [Test]
    public void The_seed_rule_covers_each_area_with_one_round_per_container()
    {
        var rounds = WasteSeeder.RoundsFor(16_150_000_000).ToList();
        Assert.That(rounds, Has.Count.EqualTo(WasteSeeder.Areas * Containers.All.Count));
        Assert.That(rounds.All(r => r.Anchor.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Friday));
        foreach (var group in rounds.GroupBy(r => r.UprnFrom))
            Assert.That(group.Select(r => r.Container), Is.EquivalentTo(Containers.All));
        // Refuse and recycling alternate weeks in the same area.
        var area0 = rounds.Where(r => r.UprnFrom == 16_150_000_000).ToDictionary(r => r.Container);
        Assert.That(area0[Containers.Recycling].Anchor.DayNumber - area0[Containers.Refuse].Anchor.DayNumber, Is.EqualTo(7));
    }
}

/// <summary>The iCalendar writer: CRLF, folding at 75 octets, escaping.</summary>
public class ICalendarTests
{
    [Test]
    public void Lines_end_in_crlf_and_are_folded_at_75_octets_without_splitting_characters()
    {
        var description = string.Concat(Enumerable.Repeat("Put your bin out by 7am, please; £ é 🗑 ", 6));
        var text = ICalendar.Write("Bins", [new ICalendar.DayEvent("u1@x", new DateOnly(2026, 12, 26), "Refuse collection", description)],
            new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        Assert.That(text, Does.EndWith("END:VCALENDAR\r\n"));
        Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain("\n").And.Not.Contain("\r"));
        var lines = text.Split("\r\n")[..^1];
        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                Assert.That(System.Text.Encoding.UTF8.GetByteCount(line), Is.LessThanOrEqualTo(75), line);
                Assert.That(line, Does.Not.Contain('\uFFFD'));
            }
            Assert.That(lines.Count(l => l.StartsWith(' ')), Is.GreaterThan(2));
        });
        // Unfolding gives back the escaped description.
        var unfolded = text.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.That(unfolded, Does.Contain("DESCRIPTION:" + ICalendar.Escape(description) + "\r\n"));
        Assert.That(unfolded, Does.Contain("DTSTART;VALUE=DATE:20261226\r\n").And.Contain("DTSTAMP:20261201T080000Z\r\n"));
        Assert.That(ICalendar.Escape("a,b;c\\d\ne"), Is.EqualTo("a\\,b\\;c\\\\d\\ne"));
    }
}
