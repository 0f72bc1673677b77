using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;

namespace CustomerAccess.Waste.Tests;

/// <summary>Garden waste seasons run April to March and are named by their years.</summary>
public class GardenSeasonTests
{
    [TestCase(2026, 3, 31, 2025)]
    [TestCase(2026, 4, 1, 2026)]
    [TestCase(2026, 12, 1, 2026)]
    [TestCase(2027, 1, 15, 2026)]
    public void A_day_belongs_to_the_season_that_started_in_the_April_before_it(int y, int m, int d, int season) =>
        Assert.That(GardenSeasons.Of(new DateOnly(y, m, d)), Is.EqualTo(season));

    [Test]
    public void A_season_is_named_by_its_years_and_runs_from_1_April_to_31_March()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GardenSeasons.Name(2026), Is.EqualTo("2026-27"));
            Assert.That(GardenSeasons.Name(2099), Is.EqualTo("2099-00"));
            Assert.That(GardenSeasons.Start(2026), Is.EqualTo(new DateOnly(2026, 4, 1)));
            Assert.That(GardenSeasons.End(2026), Is.EqualTo(new DateOnly(2027, 3, 31)));
        });
    }

    [TestCase("2026-27", 2026)]
    [TestCase("2099-00", 2099)]
    [TestCase("2026-28", null)]
    [TestCase("2026/27", null)]
    [TestCase("26-27", null)]
    [TestCase("spring", null)]
    [TestCase("", null)]
    public void Season_names_parse_only_when_the_second_year_follows_the_first(string text, int? season) =>
        Assert.That(GardenSeasons.Parse(text), Is.EqualTo(season));

    [Test]
    public void Money_reads_in_pounds() => Assert.That(GardenSeasons.Money(9600), Is.EqualTo("£96.00"));
}
