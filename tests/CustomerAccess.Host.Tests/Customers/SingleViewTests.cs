using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CustomerAccess.Host.Tests.Customers;

/// <summary>The single view gathers other modules' work for the customer through contract facts on their events.</summary>
public class SingleViewTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        await _host.DisposeAsync();
    }

    private static long Position(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Event-Position").Single(), CultureInfo.InvariantCulture);

    private async Task<JsonNode> View(string id, long position)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{id}");
        request.Headers.Add("X-Min-Position", position.ToString(CultureInfo.InvariantCulture));
        return await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
    }

    [Test]
    public async Task Open_cases_and_recent_payments_show_on_the_single_view_and_a_resolved_case_leaves_it()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Sid", lastName = "Single" }), HttpStatusCode.Created))["id"]!.GetValue<string>();

        var raised = await _advisor.PostAsync($"{Base}/cases", new { customerId = customer, type = "service-request", service = "waste", summary = "Bin not emptied twice" });
        var caseBody = await ApiClient.Expect(raised, HttpStatusCode.Created);
        var paid = await _advisor.PostAsync($"{Base}/payments",
            new { customerId = customer, fund = "garden-waste", amountPence = 4500, channel = "cash", idempotencyKey = Guid.NewGuid().ToString() });
        var payment = await ApiClient.Expect(paid, HttpStatusCode.Created);

        var view = await View(customer, Math.Max(Position(raised), Position(paid)));
        var openCase = view["openCases"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(openCase["id"]!.GetValue<string>(), Is.EqualTo(caseBody["id"]!.GetValue<string>()));
            Assert.That(openCase["reference"]!.GetValue<string>(), Is.EqualTo(caseBody["reference"]!.GetValue<string>()));
            Assert.That(openCase["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(openCase["service"]!.GetValue<string>(), Is.EqualTo("waste"));
            Assert.That(openCase.ToJsonString(), Does.Not.Contain("Bin not emptied"), "no free text on the single view");
        });
        var recent = view["recentPayments"]!.AsArray().Single()!;
        Assert.That(recent["receiptNumber"]!.GetValue<string>(), Is.EqualTo(payment["receiptNumber"]!.GetValue<string>()));
        Assert.That(recent["amountPence"]!.GetValue<long>(), Is.EqualTo(4500));

        var resolved = await _advisor.PostAsync($"{Base}/cases/{caseBody["id"]!.GetValue<string>()}/resolution", new { outcome = "Crew returned" });
        await ApiClient.Expect(resolved, HttpStatusCode.OK);
        Assert.That((await View(customer, Position(resolved)))["openCases"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task The_single_view_as_at_an_instant_shows_the_customers_record_as_it_stood_then()
    {
        var customer = (await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers",
            new { firstName = "Ada", lastName = "Asatview", email = "ada.before@example.com" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Task.Delay(50);
        var then = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await ApiClient.Expect(await _advisor.PatchAsync($"{Base}/customers/{customer}", new { email = "ada.after@example.com" }), HttpStatusCode.OK);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{customer}/flags",
            new { kind = "interpreter", details = "Welsh", reason = "Told us on the phone" }), HttpStatusCode.Created);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers/{customer}/contacts",
            new { channel = "phone", reason = "Council tax", resolvedAtFirstContact = true }), HttpStatusCode.Created);

        using var auditor = ApiClient.As(_host, "auditor", "auditor", "cheltenham");
        async Task<string> Page(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/councils/cheltenham/customers/{customer}{query}");
            request.Headers.Accept.ParseAdd("text/html");
            var response = await auditor.Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return await response.Content.ReadAsStringAsync();
        }
        var past = await Page("?asAt=" + Uri.EscapeDataString(then.ToString("O", CultureInfo.InvariantCulture)));
        var now = await Page("");
        Assert.Multiple(() =>
        {
            Assert.That(past, Does.Contain("data-testid=\"as-at-banner\"").And.Contain("ada.before@example.com").And.Not.Contain("ada.after@example.com"));
            Assert.That(past, Does.Contain("No flags.").And.Contain("data-testid=\"contact-count\">0<"));
            Assert.That(past, Does.Not.Contain("data-testid=\"open-cases\""), "other modules' facts as they are now are not passed off as then");
            Assert.That(now, Does.Contain("ada.after@example.com").And.Not.Contain("as-at-banner").And.Not.Contain("No flags."));
            Assert.That(now, Does.Contain("data-testid=\"contact-count\">1<"));
        });
    }
}
