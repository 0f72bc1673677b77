using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Features;

namespace CustomerAccess.Waste.Tests;

/// <summary>How a round's description becomes a round (ConfigureRounds.Decide), without a database.</summary>
public class RoundConfigurationTests
{
    private static ConfigureRounds.Request Round(string? container = "refuse", int? weekday = null, string? anchor = null, string? frequency = "weekly",
        string? name = "Refuse") => new(name, container, weekday, anchor, frequency);

    private static IDictionary<string, string[]> Errors(string id, ConfigureRounds.Request request)
    {
        var e = Assert.Throws<ApiProblemException>(() => ConfigureRounds.Decide(id, request))!;
        Assert.That(e.Status, Is.EqualTo(400));
        return e.Errors!;
    }

    [TestCase(1, "2024-01-01")]
    [TestCase(5, "2024-01-05")]
    [TestCase(7, "2024-01-07")]
    public void A_weekly_round_without_an_anchor_collects_on_its_weekday(int weekday, string anchor)
    {
        var round = ConfigureRounds.Decide("food-x", Round("food", weekday));
        Assert.That((round.Weekday, round.Anchor.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo((weekday, anchor)));
    }

    [Test]
    public void An_anchor_gives_the_weekday_and_a_matching_weekday_is_accepted()
    {
        var round = ConfigureRounds.Decide("refuse-x", Round(anchor: "2026-12-23", frequency: "fortnightly"));
        Assert.That(round.Weekday, Is.EqualTo(3));
        Assert.That(ConfigureRounds.Decide("refuse-x", Round(weekday: 3, anchor: "2026-12-23", frequency: "fortnightly")), Is.EqualTo(round));
    }

    [Test]
    public void A_fortnightly_round_needs_an_anchor_and_a_weekday_must_match_it()
    {
        Assert.That(Errors("r", Round(weekday: 2, frequency: "fortnightly")).Keys, Is.EqualTo(new[] { "anchor" }));
        Assert.That(Errors("r", Round(weekday: 2, anchor: "2026-12-23")).Keys, Is.EqualTo(new[] { "weekday" }));
        Assert.That(Errors("r", Round()).Keys, Is.EqualTo(new[] { "weekday" }), "weekly with neither");
    }

    [Test]
    public void Every_bad_field_is_named()
    {
        var errors = Errors("Not An Id", Round(container: "glass", weekday: 0, anchor: "2026-02-30", frequency: "monthly", name: " "));
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "id", "name", "container", "weekday", "anchor", "frequency" }));
    }
}
