using System.Net;
using System.Text;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>Bin days over HTTP: JSON for signed-in staff, and the public iCalendar feed.</summary>
public class CollectionsTests
{
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _clocked = null!;
    private readonly TestWasteClock _clock = new();
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham/waste";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _clocked = _clock.Attach(_host);
        var http = _clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        _advisor = new ApiClient(http, "advisor");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task Next_collections_per_container_follow_the_christmas_shift()
    {
        _clock.SetLocal(2026, 12, 22, 10); // Tuesday before Christmas
        var body = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/collections?uprn={WasteUprns.CheltenhamFridayA}"), HttpStatusCode.OK);
        var next = body["items"]!.AsArray().ToDictionary(i => i!["container"]!.GetValue<string>(), i => i!["nextCollection"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(next.Keys, Is.EquivalentTo(new[] { "refuse", "recycling", "food", "garden" }));
            // Refuse Fridays week A: 2026-12-25 (Christmas Day) moves to Saturday 26th.
            Assert.That(next["refuse"], Is.EqualTo("2026-12-26"));
            Assert.That(next["food"], Is.EqualTo("2026-12-26"));
            // Recycling the other Fridays: 2027-01-01 (New Year's Day, after the substitute Boxing Day) moves to Sunday 3rd.
            Assert.That(next["recycling"], Is.EqualTo("2027-01-03"));
        });
    }

    [Test]
    public async Task A_bad_uprn_is_400_and_one_on_no_round_is_404()
    {
        var bad = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/collections?uprn=abc"), HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!["uprn"], Is.Not.Null);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/collections"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/collections?uprn={WasteUprns.NotOnARound}"), HttpStatusCode.NotFound);
        using var anonymous = _clocked.CreateClient();
        Assert.That((await anonymous.GetAsync($"{Base}/collections?uprn={WasteUprns.CheltenhamMondayA}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_calendar_feed_is_public_valid_icalendar_for_eight_weeks()
    {
        _clock.SetLocal(2026, 12, 20, 12); // Sunday
        using var anonymous = _clocked.CreateClient();
        var response = await anonymous.GetAsync($"{Base}/collections.ics?uprn={WasteUprns.CheltenhamMondayA}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/calendar"));

        // CRLF only, every line at most 75 octets.
        Assert.That(text, Does.StartWith("BEGIN:VCALENDAR\r\n").And.EndWith("END:VCALENDAR\r\n"));
        Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain("\n").And.Not.Contain("\r"));
        var physical = text.Split("\r\n")[..^1];
        Assert.That(physical.Select(l => Encoding.UTF8.GetByteCount(l)), Has.All.LessThanOrEqualTo(75));
        Assert.That(physical.Any(l => l.StartsWith(' ')), Is.True, "long DESCRIPTION lines are folded");

        var lines = text.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n")[..^1];
        Assert.That(lines, Does.Contain("VERSION:2.0"));
        Assert.That(lines.Any(l => l.StartsWith("PRODID:", StringComparison.Ordinal)), Is.True);
        var events = Split(lines);
        // Monday area, week A: refuse fortnightly, recycling and garden the other fortnight, food weekly:
        // 8 weeks = 8 food + 4 refuse + 4 recycling + 4 garden.
        Assert.That(events, Has.Count.EqualTo(20));
        foreach (var e in events)
        {
            Assert.That(e.Count(l => l.StartsWith("UID:", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(e.Count(l => l.StartsWith("DTSTAMP:", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(e.Count(l => l.StartsWith("DTSTART;VALUE=DATE:", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(e.Count(l => l.StartsWith("SUMMARY:", StringComparison.Ordinal)), Is.EqualTo(1));
        }
        Assert.That(events.Select(e => e.Single(l => l.StartsWith("UID:", StringComparison.Ordinal))).Distinct().Count(), Is.EqualTo(20));
        var starts = events.Select(e => e.Single(l => l.StartsWith("DTSTART", StringComparison.Ordinal))[^8..]).ToList();
        // Monday 2026-12-28 is the substitute Boxing Day: that week's Monday collections are on Tuesday 29th.
        Assert.That(starts, Does.Contain("20261229").And.Not.Contain("20261228"));
        Assert.That(starts, Does.Contain("20261221"));
    }

    [Test]
    public async Task The_calendar_feed_answers_problems_for_bad_input()
    {
        using var anonymous = _clocked.CreateClient();
        Assert.That((await anonymous.GetAsync($"{Base}/collections.ics?uprn=-4")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await anonymous.GetAsync($"{Base}/collections.ics?uprn={WasteUprns.NotOnARound}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var unknown = await anonymous.GetAsync($"/api/councils/no-such-council/waste/collections.ics?uprn={WasteUprns.CheltenhamMondayA}");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task In_development_without_a_contractor_the_simulator_takes_works_orders()
    {
        _clock.SetLocal(2026, 12, 21, 18);
        var customer = await ApiClient.Expect(await _advisor.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Sim", lastName = "Ulated" }), HttpStatusCode.Created);
        var report = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/missed-bins",
            new { customerId = customer["id"]!.GetValue<string>(), uprn = WasteUprns.CheltenhamMondayA, container = "food" }), HttpStatusCode.Created);
        var id = report["worksOrderId"]!.GetValue<string>();
        var order = await Eventually.Until(async () => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/works-orders/{id}"), HttpStatusCode.OK),
            o => o["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15), "the simulator should take the order");
        Assert.That(order["contractorReference"]!.GetValue<string>(), Does.StartWith("SIM-"));
    }

    private static List<List<string>> Split(string[] lines)
    {
        var events = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line == "BEGIN:VEVENT") current = [];
            else if (line == "END:VEVENT") { events.Add(current!); current = null; }
            else current?.Add(line);
        }
        return events;
    }
}
