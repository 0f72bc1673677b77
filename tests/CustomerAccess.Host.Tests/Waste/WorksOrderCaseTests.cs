using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// Works orders raised for a case (issue #8): the report carries the case id, the contractor's
/// statuses (through the status route) reach the case's history through contracts' WorksOrderProgress,
/// and a completed order resolves the case. Fake contractor on a real socket; the Waste clock stands
/// on Monday 2026-12-21 at 17:00, a refuse collection day for the Monday week-A area.
/// </summary>
public class WorksOrderCaseTests
{
    private FakeContractor _contractor = null!;
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _clocked = null!;
    private readonly TestWasteClock _clock = new();
    private ApiClient _advisor = null!;
    private ApiClient _officer = null!;
    private ApiClient _cotswoldAdvisor = null!;
    private const string Base = "/api/councils/cheltenham";
    private static long _nextUprn = WasteUprns.CheltenhamMondayA + 120; // clear of MissedBinTests' properties

    [OneTimeSetUp]
    public async Task Start()
    {
        _contractor = await FakeContractor.StartAsync();
        _host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Waste:Contractor:BaseUrl"] = _contractor.BaseUrl,
            ["Waste:Contractor:ApiKey"] = FakeContractor.ApiKey,
            ["Waste:Contractor:RetryDelay"] = "00:00:00.020",
        }, testAuth: true);
        _clocked = _clock.Attach(_host);
        _advisor = Client("advisor", "advisor", "cheltenham");
        _officer = Client("waste.officer", "service-officer", "cheltenham");
        _cotswoldAdvisor = Client("advisor.cotswold", "advisor", "cotswold");
    }

    private ApiClient Client(string name, string role, string council)
    {
        var http = _clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, council));
        return new ApiClient(http, name);
    }

    [SetUp]
    public void Monday_evening() => _clock.SetLocal(2026, 12, 21, 17);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _officer.Dispose();
        _cotswoldAdvisor.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
        await _contractor.DisposeAsync();
    }

    private static long NewUprn() => Interlocked.Increment(ref _nextUprn);

    private static async Task<string> Customer(ApiClient client, string council)
    {
        var body = await ApiClient.Expect(await client.PostAsync($"/api/councils/{council}/customers", new { firstName = "Casey", lastName = "Binn" }),
            HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> RaiseCase(ApiClient client, string council, string customerId) =>
        await ApiClient.Expect(await client.PostAsync($"/api/councils/{council}/cases",
            new { customerId, type = "service-request", service = "waste", summary = "Bin missed again" }), HttpStatusCode.Created);

    private async Task<long> WorksOrdersAt(long uprn)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from waste.works_orders where uprn = $1", admin);
        cmd.Parameters.AddWithValue(uprn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<JsonNode> Order(string id) =>
        await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders/{id}"), HttpStatusCode.OK);

    [Test]
    public async Task A_missed_bin_reported_for_a_case_reports_its_progress_on_the_case_and_completion_resolves_it()
    {
        var customer = await Customer(_advisor, "cheltenham");
        var raised = await RaiseCase(_advisor, "cheltenham", customer);
        var caseId = raised["id"]!.GetValue<string>();
        var reference = raised["reference"]!.GetValue<string>();
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/cases/{caseId}/escalations", new { team = "waste", reason = "Needs a crew" }), HttpStatusCode.OK);
        var before = await ApiClient.Expect(await _officer.GetAsync($"{Base}/queues/waste"), HttpStatusCode.OK);
        Assert.That(before.ToJsonString(), Does.Contain(caseId));

        var report = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/missed-bins",
            new { customerId = customer, uprn = NewUprn(), container = "refuse", caseId }), HttpStatusCode.Created);
        var id = report["worksOrderId"]!.GetValue<string>();
        var order = await Eventually.Until(() => Order(id), o => o["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15),
            "works order should be sent to the contractor");
        Assert.That(order["caseId"]!.GetValue<string>(), Is.EqualTo(caseId));
        var listed = await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders"), HttpStatusCode.OK);
        Assert.That(listed["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!["caseId"]!.GetValue<string>(), Is.EqualTo(caseId));

        async Task<HttpResponseMessage> Move(string status) => await _officer.PostAsync($"{Base}/waste/works-orders/{id}/status", new { status });
        await ApiClient.Expect(await Move("accepted"), HttpStatusCode.OK);
        await ApiClient.Expect(await Move("completed"), HttpStatusCode.OK);

        var view = await Eventually.Until(
            async () => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/cases/{caseId}"), HttpStatusCode.OK),
            c => c["status"]!.GetValue<string>() == "resolved", TimeSpan.FromSeconds(15), "the case should be resolved by the completed works order");
        var steps = view["history"]!.AsArray().Select(s => (Action: s!["action"]!.GetValue<string>(), Details: s["details"]?.GetValue<string>())).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(steps.Where(s => s.Action == "works-order-updated").Select(s => s.Details),
                Is.EqualTo(new[] { "raised", "sent", "accepted", "completed" }));
            Assert.That(steps[^1], Is.EqualTo(("resolved", (string?)"Works order completed by the contractor")));
            Assert.That(view["history"]!.AsArray()[^1]!["actor"]!.GetValue<string>(), Is.EqualTo("system"));
        });

        // The case leaves the queue, and the customer's timeline has the case's entries.
        var queue = await ApiClient.Expect(await _officer.GetAsync($"{Base}/queues/waste"), HttpStatusCode.OK);
        Assert.That(queue.ToJsonString(), Does.Not.Contain(caseId));
        var summaries = await Eventually.Until(async () =>
            {
                var timeline = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{customer}/timeline?module=case"), HttpStatusCode.OK);
                return timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).ToList();
            }, s => s.Contains("Case resolved"), TimeSpan.FromSeconds(15), "the customer's timeline should show the case resolved");
        Assert.That(summaries, Does.Contain($"Works order for case {reference}: completed"));
        Assert.That(summaries, Does.Contain($"Works order for case {reference}: accepted by the contractor"));
    }

    [Test]
    public async Task An_unknown_malformed_or_other_councils_case_id_is_refused_and_raises_no_works_order()
    {
        var customer = await Customer(_advisor, "cheltenham");
        var cotswoldCustomer = await Customer(_cotswoldAdvisor, "cotswold");
        var cotswoldCase = (await RaiseCase(_cotswoldAdvisor, "cotswold", cotswoldCustomer))["id"]!.GetValue<string>();
        var uprn = NewUprn();
        foreach (var caseId in new[] { Guid.CreateVersion7().ToString(), new string('x', 65), cotswoldCase })
        {
            var problem = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/missed-bins",
                new { customerId = customer, uprn, container = "refuse", caseId }), HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!["caseId"], Is.Not.Null, problem.ToJsonString());
        }
        var bin = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/bin-requests",
            new { customerId = customer, uprn, container = "recycling", reason = "new", caseId = cotswoldCase }), HttpStatusCode.BadRequest);
        Assert.That(bin["errors"]!["caseId"], Is.Not.Null);
        var tip = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/fly-tipping",
            new { customerId = customer, latitude = 51.9, longitude = -2.07, caseId = "no-such-case" }), HttpStatusCode.BadRequest);
        Assert.That(tip["errors"]!["caseId"], Is.Not.Null);
        Assert.That(await WorksOrdersAt(uprn), Is.Zero);

        // Without a case id the same report goes ahead, unlinked.
        var report = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/waste/missed-bins",
            new { customerId = customer, uprn, container = "refuse" }), HttpStatusCode.Created);
        var order = await Order(report["worksOrderId"]!.GetValue<string>());
        Assert.That(order["caseId"]?.GetValue<string>(), Is.Null);
    }

    /// <summary>What Waste does: its progress goes through the outbox, one message per send.</summary>
    private async Task AsWaste(WorksOrderProgress progress)
    {
        var store = _clocked.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync("cheltenham", EventContext.System("waste"));
        await session.SendAsync(progress);
        await session.CommitAsync();
    }

    [Test]
    public async Task A_repeated_update_is_recorded_once_and_an_order_that_could_not_be_completed_leaves_the_case_open()
    {
        var customer = await Customer(_advisor, "cheltenham");
        var caseId = (await RaiseCase(_advisor, "cheltenham", customer))["id"]!.GetValue<string>();
        var worksOrderId = Guid.CreateVersion7().ToString();
        await AsWaste(new WorksOrderProgress(caseId, worksOrderId, "missed-bin", "could-not-complete", "SIM-1"));
        await AsWaste(new WorksOrderProgress(caseId, worksOrderId, "missed-bin", "could-not-complete", "SIM-1"));
        await AsWaste(new WorksOrderProgress(Guid.CreateVersion7().ToString(), worksOrderId, "missed-bin", "completed", "SIM-1")); // no such case: ignored
        await AsWaste(new WorksOrderProgress(caseId, worksOrderId, "missed-bin", "cancelled", "SIM-1"));

        var view = await Eventually.Until(
            async () => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/cases/{caseId}"), HttpStatusCode.OK),
            c => c["history"]!.AsArray().Any(s => s!["details"]?.GetValue<string>() == "cancelled"), TimeSpan.FromSeconds(15),
            "the case should record the cancelled works order");
        Assert.Multiple(() =>
        {
            Assert.That(view["history"]!.AsArray().Where(s => s!["action"]!.GetValue<string>() == "works-order-updated")
                .Select(s => s!["details"]!.GetValue<string>()), Is.EquivalentTo(new[] { "could-not-complete", "cancelled" }));
            Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo("open"));
        });
    }
}
