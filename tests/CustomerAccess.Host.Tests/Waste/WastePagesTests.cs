using System.Net;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>The waste screens, server-rendered, through plain HTTP form posts (no JavaScript). The Waste clock stands on Monday 21 December 2026.</summary>
public partial class WastePagesTests
{
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _app = null!;
    private readonly TestWasteClock _clock = new();
    private static long _nextUprn = WasteUprns.CheltenhamMondayA + 120;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _app = _clock.Attach(_host);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _app.DisposeAsync();
        await _host.DisposeAsync();
    }

    [SetUp]
    public void Monday_afternoon() => _clock.SetLocal(2026, 12, 21, 15, 30);

    private HttpClient As(string name, string role, string? team, params string[] councils)
    {
        var http = _app.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, $"{name};{role};{string.Join(',', councils)}" + (team is null ? "" : ";" + team));
        return http;
    }

    private static Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) => PageForms.ReadAsync(response, status);

    private static async Task<HttpResponseMessage> Post(HttpClient http, string formPage, string action, Dictionary<string, string> fields)
    {
        var form = await Page(await http.GetAsync(formPage));
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(form);
        return await http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private static async Task<string> Customer(HttpClient http)
    {
        var api = new ApiClient(http, "advisor");
        return (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/customers", new { firstName = "Page", lastName = "Binner" }),
            HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    [Test]
    public async Task Bin_days_show_the_next_collection_per_bin_with_the_calendar_feed_and_refuse_another_council()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        var html = await Page(await advisor.GetAsync($"/councils/cheltenham/waste/bin-days?uprn={WasteUprns.CheltenhamMondayA}"));
        Assert.That(html, Does.Contain("Rubbish (refuse)").And.Contain("Monday 21 December 2026").And.Contain("id=\"bin-days\""));
        Assert.That(html, Does.Contain($"/api/councils/cheltenham/waste/collections.ics?uprn={WasteUprns.CheltenhamMondayA}"));

        var bad = await Page(await advisor.GetAsync("/councils/cheltenham/waste/bin-days?uprn=abc"), HttpStatusCode.BadRequest);
        Assert.That(bad, Does.Contain("There is a problem").And.Contain("href=\"#uprn\""));
        var off = await Page(await advisor.GetAsync($"/councils/cheltenham/waste/bin-days?uprn={WasteUprns.NotOnARound}"), HttpStatusCode.NotFound);
        Assert.That(off, Does.Contain("not on any collection round"));

        using var cotswold = As("advisor.cotswold", "advisor", null, "cotswold");
        Assert.That((await cotswold.GetAsync($"/councils/cheltenham/waste/bin-days?uprn={WasteUprns.CheltenhamMondayA}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_missed_bin_is_refused_with_its_reason_before_4pm_then_reported_and_the_waste_team_moves_its_works_order()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        using var officer = As("waste.officer", "service-officer", "waste", SeedCouncils.All.ToArray());
        var customer = await Customer(advisor);
        var uprn = Interlocked.Increment(ref _nextUprn);
        var formUrl = $"/councils/cheltenham/waste/missed-bins/new?customerId={customer}&uprn={uprn}";

        var early = await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn.ToString(System.Globalization.CultureInfo.InvariantCulture), ["container"] = "refuse" });
        var refused = await Page(early, HttpStatusCode.BadRequest);
        Assert.That(refused, Does.Contain("There is a problem").And.Contain("href=\"#container\"").And.Contain("16:00"));

        _clock.SetLocal(2026, 12, 21, 17);
        var reported = await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn.ToString(System.Globalization.CultureInfo.InvariantCulture), ["container"] = "refuse" });
        var done = await Page(reported);
        var order = Regex.Match(done, "Works order ([0-9a-f-]{36}) has been raised").Groups[1].Value;
        Assert.That(order, Is.Not.Empty, done[..Math.Min(done.Length, 3000)]);
        Assert.That(reported.RequestMessage!.RequestUri!.Query, Does.Contain("reported=" + order), "post/redirect/get");

        // The waste team sees it (the development contractor simulator accepts it at once) and moves it on.
        var list = await Eventually.Until(async () => await (await officer.GetAsync("/waste/works-orders?status=sent")).Content.ReadAsStringAsync(),
            h => h.Contains(order, StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the order is sent");
        Assert.That(list, Does.Contain("<main"));
        Assert.That(Regex.IsMatch(list, "<form method=\"post\" action=\"/waste/works-orders[^\"]*\"[^>]*>(?:(?!</form>).)*name=\"__RequestVerificationToken\"", RegexOptions.Singleline),
            Is.True, "each move form carries its antiforgery token");
        var moved = await Post(officer, "/waste/works-orders?status=sent", "/waste/works-orders?status=sent", new() { ["id"] = order, ["to"] = "accepted" });
        Assert.That(await Page(moved), Does.Contain($"Works order {order} updated"));
        var accepted = await Page(await officer.GetAsync("/waste/works-orders?status=accepted"));
        Assert.That(accepted, Does.Contain(order));
        var conflict = await Post(officer, "/waste/works-orders", "/waste/works-orders", new() { ["id"] = order, ["to"] = "raised" });
        Assert.That(await Page(conflict, HttpStatusCode.Conflict), Does.Contain("There is a problem").And.Contain($"href=\"#to-{order}\""));

        // Works orders are for the service team.
        using var member = As("cllr.cheltenham", "member", null, "cheltenham");
        await Page(await member.GetAsync("/waste/works-orders"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_garden_subscription_shows_the_price_then_the_payment_due_with_a_link_to_take_it()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        var customer = await Customer(advisor);
        var uprn = Interlocked.Increment(ref _nextUprn).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var formUrl = $"/councils/cheltenham/waste/garden-subscriptions/new?customerId={customer}&uprn={uprn}";
        var form = await Page(await advisor.GetAsync(formUrl));
        Assert.That(WebUtility.HtmlDecode(form), Does.Contain("£48.00 a bin").And.Contain("2026-27").And.Contain("2027-28"));

        var tooMany = await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn, ["bins"] = "9", ["season"] = "2026-27" });
        Assert.That(await Page(tooMany, HttpStatusCode.BadRequest), Does.Contain("href=\"#bins\"").And.Contain("at most 5"));

        var created = await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn, ["bins"] = "2", ["season"] = "2026-27" });
        var page = await Page(created);
        Assert.That(created.RequestMessage!.RequestUri!.AbsolutePath, Does.Match("^/councils/cheltenham/waste/garden-subscriptions/[0-9a-f-]+$"));
        Assert.That(WebUtility.HtmlDecode(page), Does.Contain("£96.00 to pay").And.Contain("Waiting for payment"));
        Assert.That(page, Does.Match($"/councils/cheltenham/payments/new\\?customerId={customer}&amp;paymentRequestId=[0-9a-f-]{{36}}"));

        var again = await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn, ["bins"] = "1", ["season"] = "2026-27" });
        Assert.That(WebUtility.HtmlDecode(await Page(again, HttpStatusCode.Conflict)), Does.Contain("already has a garden waste subscription").And.Contain("View the existing subscription"));

        using var cotswold = As("advisor.cotswold", "advisor", null, "cotswold");
        Assert.That((await cotswold.GetAsync(formUrl)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_missed_bin_garden_waste_and_works_order_form_sent_twice_each_record_once()
    {
        using var advisor = As("advisor", "advisor", null, SeedCouncils.All.ToArray());
        using var officer = As("waste.officer", "service-officer", "waste", SeedCouncils.All.ToArray());
        var customer = await Customer(advisor);
        Task<long> Count(string type) => Recorded.EventsAsync(_host.Database, "cheltenham", customer, type);
        var uprn = Interlocked.Increment(ref _nextUprn).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _clock.SetLocal(2026, 12, 21, 17);

        // The missed-bin form sent twice is one report: not a report and a chase (failure demand).
        var formUrl = $"/councils/cheltenham/waste/missed-bins/new?customerId={customer}&uprn={uprn}";
        var form = await Page(await advisor.GetAsync(formUrl));
        var (reported, again) = await PageForms.PostTwiceAsync(advisor, form, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn, ["container"] = "refuse" });
        var order = Regex.Match(await Page(reported), "Works order ([0-9a-f-]{36}) has been raised").Groups[1].Value;
        var replayed = await Page(again);
        Assert.That(replayed, Does.Contain($"Works order {order} has been raised").And.Contain("data-testid=\"replayed\""));
        Assert.That((await Count("waste.missed-bin-reported"), await Count("waste.missed-bin-reported-again")), Is.EqualTo((1L, 0L)));
        // Chasing it on a fresh form is still a repeat report.
        await Page(await Post(advisor, formUrl, formUrl, new() { ["customerId"] = customer, ["uprn"] = uprn, ["container"] = "refuse" }));
        Assert.That(await Count("waste.missed-bin-reported-again"), Is.EqualTo(1));

        // Garden waste: the form twice lands on the one subscription, not on a "one per season" refusal.
        var gardenUrl = $"/councils/cheltenham/waste/garden-subscriptions/new?customerId={customer}&uprn={uprn}";
        var gardenForm = await Page(await advisor.GetAsync(gardenUrl));
        var (created, createdAgain) = await PageForms.PostTwiceAsync(advisor, gardenForm, gardenUrl,
            new() { ["customerId"] = customer, ["uprn"] = uprn, ["bins"] = "1", ["season"] = "2026-27" });
        await Page(created);
        Assert.That(await Page(createdAgain), Does.Contain("data-testid=\"replayed\""));
        Assert.That(createdAgain.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(created.RequestMessage!.RequestUri!.AbsolutePath));
        Assert.That(await Count("waste.garden-subscription-requested"), Is.EqualTo(1));

        // A works-order move sent twice moves it once and is not refused the second time.
        var list = await Eventually.Until(async () => await (await officer.GetAsync("/waste/works-orders?status=sent")).Content.ReadAsStringAsync(),
            h => h.Contains(order, StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the order is sent");
        var moveForm = Regex.Match(list, $"<form method=\"post\"[^>]*>(?:(?!</form>).)*value=\"{order}\"(?:(?!</form>).)*</form>", RegexOptions.Singleline).Value;
        Assert.That(moveForm, Is.Not.Empty);
        var (moved, movedAgain) = await PageForms.PostTwiceAsync(officer, moveForm + PageForms.AntiforgeryField(list), "/waste/works-orders?status=sent",
            new() { ["id"] = order, ["to"] = "accepted" });
        await Page(moved);
        await Page(movedAgain);
        Assert.That(await Recorded.EventsAsync(_host.Database, "cheltenham", customer, "waste.works-order-status-changed"), Is.EqualTo(1));
    }
}
