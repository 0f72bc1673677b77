using System.Globalization;
using System.Net;

namespace CustomerAccess.Host.Tests.Reports;

/// <summary>The contract's performance reports, fed by every module's events.</summary>
public class PerformanceReportTests
{
    [Test]
    public async Task Contacts_cases_payments_and_refunds_add_up_per_council_and_for_the_partnership()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham", "cotswold");
        const string Base = "/api/councils/cheltenham";
        var customer = (await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers", new { firstName = "Rae", lastName = "Ports" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers/{customer}/contacts", new { channel = "phone", reason = "Bins", resolvedAtFirstContact = true }), HttpStatusCode.Created);
        await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers/{customer}/contacts", new { channel = "email", reason = "Tax", resolvedAtFirstContact = false }), HttpStatusCode.Created);
        await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers/{customer}/contacts", new { channel = "phone", reason = "Bins again", resolvedAtFirstContact = false }), HttpStatusCode.Created);
        await ApiClient.Expect(await advisor.PostAsync($"{Base}/cases", new { customerId = customer, type = "enquiry", service = "waste", summary = "Where is my bin" }), HttpStatusCode.Created);
        var payment = await ApiClient.Expect(await advisor.PostAsync($"{Base}/payments",
            new { customerId = customer, fund = "garden-waste", amountPence = 4500, channel = "cash", idempotencyKey = Guid.NewGuid().ToString() }), HttpStatusCode.Created);
        var refund = await advisor.PostAsync($"{Base}/payments/{payment["id"]!.GetValue<string>()}/refunds", new { amountPence = 500, reason = "Overpaid" });
        await ApiClient.Expect(refund, HttpStatusCode.Created);
        var last = refund.Headers.GetValues("X-Event-Position").Single();

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/reports/performance?from={today}&to={today}");
        request.Headers.Add("X-Min-Position", last);
        var report = await ApiClient.Expect(await advisor.Http.SendAsync(request), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(report["contactsByChannel"]!["phone"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(report["contactsByChannel"]!["email"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(report["firstContactResolutionRate"]!.GetValue<double>(), Is.EqualTo(1.0 / 3).Within(0.001));
            Assert.That(report["casesOpened"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(report["casesResolvedWithinStandard"]!.GetValue<int>(), Is.Zero);
            Assert.That(report["paymentsTotalPence"]!.GetValue<long>(), Is.EqualTo(4000));
            Assert.That(report["failureDemand"]!.GetValue<int>(), Is.Zero);
        });

        var cotswold = await ApiClient.Expect(await advisor.GetAsync($"/api/councils/cotswold/reports/performance?from={today}&to={today}"), HttpStatusCode.OK);
        Assert.That(cotswold["casesOpened"]!.GetValue<int>(), Is.Zero, "each council's figures are its own");
        await ApiClient.Expect(await advisor.GetAsync($"{Base}/reports/performance?from=yesterday"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await advisor.GetAsync($"{Base}/reports/performance?from=2026-02-01&to=2026-01-01"), HttpStatusCode.BadRequest);

        using var auditor = ApiClient.As(host, "auditor", "auditor", "*");
        var partnership = await ApiClient.Expect(await auditor.GetAsync($"/api/partnership/reports/performance?from={today}&to={today}"), HttpStatusCode.OK);
        var rows = partnership["items"]!.AsArray();
        Assert.That(rows.Select(r => r!["council"]!.GetValue<string>()), Is.SupersetOf(new[] { "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire" }));
        Assert.That(rows.Single(r => r!["council"]!.GetValue<string>() == "cheltenham")!["paymentsTotalPence"]!.GetValue<long>(), Is.EqualTo(4000));
        await ApiClient.Expect(await advisor.GetAsync($"/api/partnership/reports/performance"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_case_resolved_again_after_reopening_counts_once_within_standard()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "forest-of-dean");
        const string Base = "/api/councils/forest-of-dean";
        var customer = (await ApiClient.Expect(await advisor.PostAsync($"{Base}/customers", new { firstName = "Rhys", lastName = "Opened" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        async Task<string> Raise() => (await ApiClient.Expect(await advisor.PostAsync($"{Base}/cases",
            new { customerId = customer, type = "enquiry", service = "waste", summary = "Bins" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        var twice = await Raise();
        var once = await Raise();
        for (var i = 0; i < 3; i++)
        {
            await ApiClient.Expect(await advisor.PostAsync($"{Base}/cases/{twice}/resolution", new { outcome = "Sorted" }), HttpStatusCode.OK);
            await ApiClient.Expect(await advisor.PostAsync($"{Base}/cases/{twice}/reopening", new { reason = "Not sorted" }), HttpStatusCode.OK);
        }
        await ApiClient.Expect(await advisor.PostAsync($"{Base}/cases/{twice}/resolution", new { outcome = "Sorted now" }), HttpStatusCode.OK);
        var last = await advisor.PostAsync($"{Base}/cases/{once}/resolution", new { outcome = "Sorted" });
        await ApiClient.Expect(last, HttpStatusCode.OK);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/reports/performance?from={today}&to={today}");
        request.Headers.Add("X-Min-Position", last.Headers.GetValues("X-Event-Position").Single());
        var report = await ApiClient.Expect(await advisor.Http.SendAsync(request), HttpStatusCode.OK);
        Assert.That((report["casesOpened"]!.GetValue<int>(), report["casesResolvedWithinStandard"]!.GetValue<int>()), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task Periods_at_the_ends_of_the_calendar_are_a_report_or_a_400_never_a_500()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        using var auditor = ApiClient.As(host, "auditor", "auditor", "*");
        const string Report = "/api/councils/cheltenham/reports/performance";

        // Without from, the period is the 30 days to `to`, cut short at the calendar's first day.
        foreach (var (query, from, to) in new[]
        {
            ("from=0001-01-01&to=0001-01-02", "0001-01-01", "0001-01-02"),
            ("to=0001-01-10", "0001-01-01", "0001-01-10"),
            ("to=0001-01-29", "0001-01-01", "0001-01-29"),
            ("to=0001-01-30", "0001-01-01", "0001-01-30"),
            ("to=0001-01-31", "0001-01-02", "0001-01-31"),
            ("to=9999-12-31", "9999-12-02", "9999-12-31"),
            ("from=9999-12-31&to=9999-12-31", "9999-12-31", "9999-12-31"),
        })
        {
            var report = await ApiClient.Expect(await advisor.GetAsync($"{Report}?{query}"), HttpStatusCode.OK);
            Assert.That((report["from"]!.GetValue<string>(), report["to"]!.GetValue<string>()), Is.EqualTo((from, to)), query);
        }
        var partnership = await ApiClient.Expect(await auditor.GetAsync("/api/partnership/reports/performance?to=0001-01-10"), HttpStatusCode.OK);
        Assert.That(partnership["from"]!.GetValue<string>(), Is.EqualTo("0001-01-01"));

        foreach (var query in new[] { "from=9999-12-31", "from=0001-01-01&to=9999-12-31", "to=0001-01-01T00:30:00%2B01:00", "to=9999-12-31T23:30:00-01:00" })
        {
            var response = await advisor.GetAsync($"{Report}?{query}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), query);
        }
    }
}
