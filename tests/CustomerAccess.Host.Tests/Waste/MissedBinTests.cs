using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// Missed bins and works orders over HTTP, against a fake contractor on a real socket. The Waste
/// clock stands on Monday 2026-12-21, a refuse and food collection day for the Monday week-A area.
/// </summary>
public class MissedBinTests
{
    private FakeContractor _contractor = null!;
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _clocked = null!;
    private readonly TestWasteClock _clock = new();
    private ApiClient _advisor = null!;
    private ApiClient _officer = null!;
    private const string Base = "/api/councils/cheltenham";
    private static long _nextUprn = WasteUprns.CheltenhamMondayA + 10; // each test its own properties, all in the Monday A area

    [OneTimeSetUp]
    public async Task Start()
    {
        _contractor = await FakeContractor.StartAsync();
        _host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Waste:Contractor:BaseUrl"] = _contractor.BaseUrl,
            ["Waste:Contractor:ApiKey"] = FakeContractor.ApiKey,
            ["Waste:Contractor:RetryDelay"] = "00:00:00.020",
            ["Waste:Contractor:MaxRetries"] = "3",
            ["Waste:Contractor:AttemptTimeout"] = "00:00:02",
        }, testAuth: true);
        _clocked = _clock.Attach(_host);
        _advisor = Client("advisor", "advisor");
        _officer = Client("waste.officer", "service-officer");
    }

    private ApiClient Client(string name, string role)
    {
        var http = _clocked.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, "cheltenham"));
        return new ApiClient(http, name);
    }

    [SetUp]
    public void Monday_evening() => _clock.SetLocal(2026, 12, 21, 17);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _officer.Dispose();
        await _clocked.DisposeAsync();
        await _host.DisposeAsync();
        await _contractor.DisposeAsync();
    }

    private static long NewUprn() => Interlocked.Increment(ref _nextUprn);

    private async Task<string> Customer()
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Binny", lastName = "Resident" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private async Task<HttpResponseMessage> Report(string customerId, long uprn, string container = "refuse") =>
        await _advisor.PostAsync($"{Base}/waste/missed-bins", new { customerId, uprn, container });

    private async Task<JsonNode> Order(string id) =>
        await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders/{id}"), HttpStatusCode.OK);

    private async Task<JsonNode> WaitForStatus(string id, string status) =>
        await Eventually.Until(() => Order(id), o => o["status"]!.GetValue<string>() == status, TimeSpan.FromSeconds(15), $"works order should become {status}");

    [Test]
    public async Task A_repeat_report_of_the_same_collection_gets_the_same_works_order_and_counts_as_failure_demand()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var first = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.Created);
        _clock.SetLocal(2026, 12, 22, 9);
        var again = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(again["worksOrderId"]!.GetValue<string>(), Is.EqualTo(first["worksOrderId"]!.GetValue<string>()));
            Assert.That(again["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
            Assert.That(first["collectionDate"]!.GetValue<string>(), Is.EqualTo("2026-12-21"));
        });
        var order = await Order(first["worksOrderId"]!.GetValue<string>());
        Assert.That(order["repeatReports"]!.GetValue<int>(), Is.EqualTo(1));
        // The performance report counts the chase as failure demand, under its own reason (by the
        // day the event was recorded: the real clock, not this fixture's collection calendar).
        var days = $"from={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&to={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}";
        var report = await Eventually.Until(
            async () => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/reports/performance?{days}"), HttpStatusCode.OK),
            r => r["failureDemandByReason"]?["missed-bin-reported-again"] is not null, TimeSpan.FromSeconds(15), "the repeat report should count by reason");
        Assert.That(report["failureDemand"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(report["failureDemandByReason"]!["missed-bin-reported-again"]!.GetValue<int>()));

        // Another container at the same property, same day: its own works order.
        var food = await ApiClient.Expect(await Report(customer, uprn, "food"), HttpStatusCode.Created);
        Assert.That(food["worksOrderId"]!.GetValue<string>(), Is.Not.EqualTo(first["worksOrderId"]!.GetValue<string>()));
    }

    [Test]
    public async Task Concurrent_reports_of_one_miss_raise_one_works_order()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Report(customer, uprn)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        var ids = new HashSet<string>();
        foreach (var r in responses.Where(r => r.IsSuccessStatusCode)) ids.Add((await ApiClient.Json(r))["worksOrderId"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1), string.Join(",", statuses));
            Assert.That(statuses, Has.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict));
            Assert.That(ids, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Reports_are_refused_with_a_reason_before_the_crew_is_done_off_round_or_for_an_unknown_customer_and_late_ones_are_taken()
    {
        var customer = await Customer();
        var uprn = NewUprn();

        _clock.SetLocal(2026, 12, 21, 15, 30);
        var early = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.BadRequest);
        Assert.That(early["detail"]!.GetValue<string>(), Does.Contain("16:00"));

        _clock.SetLocal(2026, 12, 23, 23, 30); // Monday + 2 working days = Wednesday 23rd: in time
        var inTime = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.Created);

        // Later than that the report is still taken, about the same (last) collection: no new works order.
        _clock.SetLocal(2026, 12, 24, 9);
        var late = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.OK);
        Assert.That(late["worksOrderId"]!.GetValue<string>(), Is.EqualTo(inTime["worksOrderId"]!.GetValue<string>()));
        var lateOnly = await ApiClient.Expect(await Report(customer, NewUprn()), HttpStatusCode.Created);
        Assert.That(lateOnly["worksOrderId"]!.GetValue<string>(), Is.Not.EqualTo(inTime["worksOrderId"]!.GetValue<string>()));

        var offRound = await ApiClient.Expect(await Report(customer, WasteUprns.NotOnARound), HttpStatusCode.BadRequest);
        Assert.That(offRound["errors"]!["container"], Is.Not.Null);
        var nobody = await ApiClient.Expect(await Report(Guid.CreateVersion7().ToString(), NewUprn()), HttpStatusCode.BadRequest);
        Assert.That(nobody["errors"]!["customerId"], Is.Not.Null);
        var badContainer = await ApiClient.Expect(await Report(customer, NewUprn(), "wheelie"), HttpStatusCode.BadRequest);
        Assert.That(badContainer["errors"]!["container"], Is.Not.Null);
    }

    [Test]
    public async Task The_contractor_call_retries_on_5xx_then_the_order_is_sent_with_the_contractors_reference()
    {
        var customer = await Customer();
        _contractor.FailNext(2);
        var report = await ApiClient.Expect(await Report(customer, NewUprn()), HttpStatusCode.Created);
        var id = report["worksOrderId"]!.GetValue<string>();
        Assert.That(report["status"]!.GetValue<string>(), Is.EqualTo("raised"));

        var sent = await WaitForStatus(id, "sent");
        var calls = _contractor.Calls.Where(c => c.Key == id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(calls.Select(c => c.Status), Is.EqualTo(new[] { 503, 503, 201 }));
            Assert.That(sent["contractorReference"]!.GetValue<string>(), Does.StartWith("CTR-"));
            Assert.That(calls[^1].Body["container"]!.GetValue<string>(), Is.EqualTo("refuse"));
            Assert.That(calls[^1].Body.ToJsonString(), Does.Not.Contain("Binny"));
        });
    }

    [Test]
    public async Task Status_updates_follow_the_allowed_moves_and_land_on_the_customers_timeline()
    {
        var customer = await Customer();
        var report = await ApiClient.Expect(await Report(customer, NewUprn()), HttpStatusCode.Created);
        var id = report["worksOrderId"]!.GetValue<string>();
        await WaitForStatus(id, "sent");

        async Task<HttpResponseMessage> Move(string status) => await _officer.PostAsync($"{Base}/waste/works-orders/{id}/status", new { status });
        await ApiClient.Expect(await Move("sent"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await Move("lost"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await Move("accepted"), HttpStatusCode.OK);
        var done = await Move("completed");
        await ApiClient.Expect(done, HttpStatusCode.OK);
        var conflict = await ApiClient.Expect(await Move("cancelled"), HttpStatusCode.Conflict);
        Assert.That(conflict["detail"]!.GetValue<string>(), Does.Contain("completed"));
        await ApiClient.Expect(await _officer.PostAsync($"{Base}/waste/works-orders/{Guid.CreateVersion7()}/status", new { status = "accepted" }), HttpStatusCode.NotFound);

        var completed = await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders?status=completed"), HttpStatusCode.OK);
        Assert.That(completed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Contain(id));
        var raised = await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders?status=raised"), HttpStatusCode.OK);
        Assert.That(raised["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(id));
        await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders?status=nonsense"), HttpStatusCode.BadRequest);
        // open and closed group the live and the finished statuses.
        var closed = await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders?status=closed"), HttpStatusCode.OK);
        Assert.That(closed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Contain(id));
        var open = await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders?status=open"), HttpStatusCode.OK);
        Assert.That(open["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Does.Not.Contain(id));
        Assert.That(open["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()), Is.Not.Empty.And.All.AnyOf("raised", "sent", "accepted"));

        var position = done.Headers.GetValues("X-Event-Position").Single();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{customer}/timeline?module=waste");
        request.Headers.Add("X-Min-Position", position);
        var timeline = await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
        var summaries = timeline["items"]!.AsArray().Where(i => i!["module"]!.GetValue<string>() == "waste").Select(i => i!["summary"]!.GetValue<string>()).ToList();
        Assert.That(summaries, Is.EqualTo(new[]
        {
            "Works order for refuse bin completed",
            "Works order for refuse bin accepted by the contractor",
            "Works order for refuse bin sent to the contractor",
            "Missed refuse collection of 2026-12-21 reported; works order raised",
        }));
    }

    [Test]
    public async Task Waste_events_carry_the_customer_id_and_keep_the_uprn_out_of_plain_sight()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var report = await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.Created);
        await ApiClient.Expect(await Report(customer, uprn), HttpStatusCode.OK);
        var id = report["worksOrderId"]!.GetValue<string>();
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select event_type, metadata->>'customerId', data::text from es.events where stream_id = $1 order by stream_version", admin);
        cmd.Parameters.AddWithValue("works-order-" + id);
        var rows = new List<(string Type, string? Customer, string Data)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2)));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].Type, Is.EqualTo("waste.missed-bin-reported"));
            Assert.That(rows.Select(r => r.Type), Does.Contain("waste.missed-bin-reported-again")); // the contractor's "sent" may come between
            Assert.That(rows.Select(r => r.Customer), Has.All.EqualTo(customer));
            Assert.That(rows.Select(r => r.Data), Has.None.Contain(uprn.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public async Task A_replacement_bin_request_raises_one_open_works_order_sent_to_the_contractor()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        async Task<HttpResponseMessage> Ask(string container = "recycling", string reason = "replacement", long? at = null) =>
            await _advisor.PostAsync($"{Base}/waste/bin-requests", new { customerId = customer, uprn = at ?? uprn, container, reason });

        var first = await ApiClient.Expect(await Ask(), HttpStatusCode.Created);
        var again = await ApiClient.Expect(await Ask(), HttpStatusCode.OK);
        var id = first["worksOrderId"]!.GetValue<string>();
        Assert.That(again["worksOrderId"]!.GetValue<string>(), Is.EqualTo(id));
        await ApiClient.Expect(await Ask(reason: "stolen"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await Ask(at: WasteUprns.NotOnARound), HttpStatusCode.BadRequest);

        var sent = await WaitForStatus(id, "sent");
        var call = _contractor.Calls.Last(c => c.Key == id);
        Assert.Multiple(() =>
        {
            Assert.That(sent["kind"]!.GetValue<string>(), Is.EqualTo("bin-request"));
            Assert.That(sent["reason"]!.GetValue<string>(), Is.EqualTo("replacement"));
            Assert.That(call.Body["type"]!.GetValue<string>(), Is.EqualTo("bin-request"));
            Assert.That(call.Body["reason"]!.GetValue<string>(), Is.EqualTo("replacement"));
        });

        // Once it is done, a new request is a new works order.
        await ApiClient.Expect(await _officer.PostAsync($"{Base}/waste/works-orders/{id}/status", new { status = "completed" }), HttpStatusCode.OK);
        var next = await ApiClient.Expect(await Ask(), HttpStatusCode.Created);
        Assert.That(next["worksOrderId"]!.GetValue<string>(), Is.Not.EqualTo(id));
    }

    [Test]
    public async Task Fly_tipping_at_a_place_is_a_works_order_sent_to_the_contractor_with_its_location()
    {
        var customer = await Customer();
        async Task<HttpResponseMessage> Report(double latitude, double longitude) => await _advisor.PostAsync($"{Base}/waste/fly-tipping",
            new { customerId = customer, latitude, longitude, description = "Mattress and three black bags by the gate" });
        var bad = await ApiClient.Expect(await Report(40.7, -74.0), HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!["latitude"], Is.Not.Null);

        var created = await ApiClient.Expect(await Report(51.8994, -2.0783), HttpStatusCode.Created);
        var id = created["worksOrderId"]!.GetValue<string>();
        var sent = await WaitForStatus(id, "sent");
        var call = _contractor.Calls.Last(c => c.Key == id);
        Assert.Multiple(() =>
        {
            Assert.That(sent["kind"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(sent["latitude"]!.GetValue<double>(), Is.EqualTo(51.8994));
            Assert.That(call.Body["type"]!.GetValue<string>(), Is.EqualTo("fly-tipping"));
            Assert.That(call.Body["longitude"]!.GetValue<double>(), Is.EqualTo(-2.0783));
            Assert.That(call.Body["description"]!.GetValue<string>(), Does.Contain("Mattress"));
        });

        var done = await _officer.PostAsync($"{Base}/waste/works-orders/{id}/status", new { status = "completed" });
        await ApiClient.Expect(done, HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/customers/{customer}/timeline?module=waste");
        request.Headers.Add("X-Min-Position", done.Headers.GetValues("X-Event-Position").Single());
        var timeline = await ApiClient.Expect(await _advisor.Http.SendAsync(request), HttpStatusCode.OK);
        var summaries = timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).ToList();
        Assert.That(summaries, Does.Contain("Fly-tipping reported; works order raised").And.Contain("Works order for fly-tipping completed"));
        Assert.That(timeline.ToJsonString(), Does.Not.Contain("Mattress"));
    }

    [Test]
    public async Task Works_orders_are_for_the_service_team_and_missed_bins_for_casework()
    {
        using var auditor = Client("auditor", "auditor");
        Assert.That((await auditor.GetAsync($"{Base}/waste/works-orders")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await auditor.PostAsync($"{Base}/waste/missed-bins", new { customerId = "x", uprn = 1, container = "refuse" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
