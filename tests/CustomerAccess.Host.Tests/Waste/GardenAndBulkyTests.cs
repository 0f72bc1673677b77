using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// Garden waste subscriptions paid through Payments (simulated here: the test sends Payments'
/// answers through an event session's outbox, as Payments would) and bulky collections raised from
/// Bookings' RaiseBulkyWorksOrder (sent by the test). A probe handler records what Waste sends to
/// other modules. The Waste clock stands on 1 December 2026 (season 2026-27, April to March).
/// </summary>
public class GardenAndBulkyTests
{
    private FakeContractor _contractor = null!;
    private HostFixture _host = null!;
    private WebApplicationFactory<Program> _app = null!;
    private readonly TestWasteClock _clock = new();
    private readonly OutboundProbe _probe = new();
    private ApiClient _advisor = null!;
    private ApiClient _officer = null!;
    private const string Council = "cheltenham";
    private const string Base = "/api/councils/cheltenham";
    private static long _nextUprn = WasteUprns.CheltenhamFridayA + 20;

    [OneTimeSetUp]
    public async Task Start()
    {
        _contractor = await FakeContractor.StartAsync();
        _host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Waste:Contractor:BaseUrl"] = _contractor.BaseUrl,
            ["Waste:Contractor:ApiKey"] = FakeContractor.ApiKey,
            ["Waste:Contractor:RetryDelay"] = "00:00:00.020",
            // Only the host below (with the probe and the clock) runs the outbox and subscriptions.
            ["CustomerAccess:Messaging:RunBackgroundWork"] = "false",
        }, testAuth: true);
        _app = _host.WithWebHostBuilder(b =>
        {
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?> { ["CustomerAccess:Messaging:RunBackgroundWork"] = "true" }));
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<CustomerAccess.Waste.Domain.WasteClock>(_clock);
                s.AddMessageHandler<PaymentRequested>(_probe);
                s.AddMessageHandler<PaymentRequestWithdrawn>(_probe);
                s.AddMessageHandler<RefundPaymentRequest>(_probe);
                s.AddMessageHandler<BulkyWorksOrderRaised>(_probe);
            });
        });
        _advisor = Client("advisor", "advisor");
        _officer = Client("waste.officer", "service-officer");
    }

    [SetUp]
    public void December() => _clock.SetLocal(2026, 12, 1, 10);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _officer.Dispose();
        await _app.DisposeAsync();
        await _host.DisposeAsync();
        await _contractor.DisposeAsync();
    }

    private ApiClient Client(string name, string role)
    {
        var http = _app.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, Council));
        return new ApiClient(http, name);
    }

    private static long NewUprn() => Interlocked.Increment(ref _nextUprn);

    private async Task<string> Customer()
    {
        var body = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/customers", new { firstName = "Gardener", lastName = "Resident" }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> Subscribe(string customerId, long uprn, int bins = 2, string? season = null) =>
        _advisor.PostAsync($"{Base}/waste/garden-subscriptions", new { customerId, uprn, bins, season });

    private async Task<JsonNode> Get(string id) =>
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions/{id}"), HttpStatusCode.OK);

    /// <summary>What Payments does when money arrives: its answer goes through the outbox.</summary>
    private async Task AsPayments(object answer)
    {
        var store = _app.Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync(Council, EventContext.System("payments"));
        await session.SendAsync(answer);
        await session.CommitAsync();
    }

    private async Task<JsonNode> Timeline(string customer) =>
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/customers/{customer}/timeline"), HttpStatusCode.OK);

    [Test]
    public async Task A_subscription_asks_Payments_for_the_money_and_is_active_only_once_paid()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var created = await ApiClient.Expect(await Subscribe(customer, uprn, bins: 2), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var due = created["paymentDue"]!;
        var requestId = due["paymentRequestId"]!.GetValue<Guid>();
        Assert.Multiple(() =>
        {
            Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("pending-payment"));
            Assert.That(created["season"]!.GetValue<string>(), Is.EqualTo("2026-27"));
            Assert.That(created["bins"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(created["validFrom"]!.GetValue<string>(), Is.EqualTo("2026-12-01"));
            Assert.That(created["validTo"]!.GetValue<string>(), Is.EqualTo("2027-03-31"));
            Assert.That(created["reference"]!.GetValue<string>(), Does.Match("^CHE-GW-2026-\\d{6}$"));
            Assert.That(due["fund"]!.GetValue<string>(), Is.EqualTo("garden-waste"));
            Assert.That(due["amountPence"]!.GetValue<long>(), Is.EqualTo(2 * 4800));
            Assert.That(due["reference"]!.GetValue<string>(), Is.EqualTo(created["reference"]!.GetValue<string>()));
            Assert.That(due["expiresAt"], Is.Not.Null);
        });

        // Payments is asked for exactly that, through the outbox.
        var asked = await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<PaymentRequested>().FirstOrDefault(p => p.PaymentRequestId == requestId)),
            p => p is not null, because: "Waste sends PaymentRequested");
        Assert.Multiple(() =>
        {
            Assert.That(asked!.Purpose, Is.EqualTo(PaymentPurposes.GardenWasteSubscription));
            Assert.That(asked.PurposeId, Is.EqualTo(id));
            Assert.That(asked.Fund, Is.EqualTo("garden-waste"));
            Assert.That(asked.AmountPence, Is.EqualTo(9600));
            Assert.That(asked.CustomerId, Is.EqualTo(customer));
            Assert.That(asked.Description, Is.EqualTo("Garden waste 2026-27, 2 bins"));
        });

        // A failed card payment leaves it pending, recorded.
        await AsPayments(new PaymentRequestFailed(requestId, PaymentPurposes.GardenWasteSubscription, id, "pay-1", "declined"));
        var failed = await Eventually.Until(() => Get(id), s => s["failedPaymentAttempts"]!.GetValue<int>() == 1, because: "the failure is recorded");
        Assert.That(failed["status"]!.GetValue<string>(), Is.EqualTo("pending-payment"));
        Assert.That(failed["lastPaymentFailure"]!.GetValue<string>(), Is.EqualTo("declined"));

        // Answers for another purpose, or another request, change nothing.
        await AsPayments(new PaymentRequestPaid(requestId, PaymentPurposes.Booking, id, "pay-x", "R-X", 9600));
        await AsPayments(new PaymentRequestPaid(Guid.CreateVersion7(), PaymentPurposes.GardenWasteSubscription, id, "pay-y", "R-Y", 9600));
        await AsPayments(new PaymentRequestPaid(requestId, PaymentPurposes.GardenWasteSubscription, id, "pay-2", "CHE-R-000042", 9600));
        var active = await Eventually.Until(() => Get(id), s => s["status"]!.GetValue<string>() == "active", because: "paid → active");
        Assert.Multiple(() =>
        {
            Assert.That(active["payment"]!["receiptNumber"]!.GetValue<string>(), Is.EqualTo("CHE-R-000042"));
            Assert.That(active["paymentDue"], Is.Null);
        });
        var listed = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions?uprn={uprn}"), HttpStatusCode.OK);
        Assert.That(listed["items"]!.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        var byCustomer = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions?customerId={customer}"), HttpStatusCode.OK);
        Assert.That(byCustomer["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));

        // Paid twice (a redelivery): still one paid event.
        await AsPayments(new PaymentRequestPaid(requestId, PaymentPurposes.GardenWasteSubscription, id, "pay-2", "CHE-R-000042", 9600));
        var summaries = await Eventually.Until(async () => (await Timeline(customer))["items"]!.AsArray()
                .Where(i => i!["module"]!.GetValue<string>() == "waste").Select(i => i!["summary"]!.GetValue<string>()).ToList(),
            s => s.Count >= 3, because: "the subscription is on the customer's timeline");
        Assert.That(summaries, Is.EqualTo(new[]
        {
            "Garden waste subscription 2026-27 paid (receipt CHE-R-000042); active 2026-12-01 to 2027-03-31",
            "Payment for garden waste subscription failed; still waiting for payment",
            "Garden waste subscription 2026-27 requested for 2 bins; £96.00 to pay",
        }));
        await AssertEventsCarryTheCustomerButNotTheUprn(id, customer, uprn);
    }

    private async Task AssertEventsCarryTheCustomerButNotTheUprn(string id, string customer, long uprn)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select metadata->>'customerId', data::text from es.events where stream_id = $1 order by stream_version", admin);
        cmd.Parameters.AddWithValue("garden-subscription-" + id);
        var rows = new List<(string? Customer, string Data)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1)));
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.Select(r => r.Customer), Has.All.EqualTo(customer));
        Assert.That(rows.Select(r => r.Data), Has.None.Contain(uprn.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(rows.Select(r => r.Data), Has.None.Contain("subscriptionChange").IgnoreCase, "the single-view facts are not stored");
    }

    [Test]
    public async Task A_second_subscription_for_the_property_and_season_is_a_conflict_and_bad_requests_are_refused_with_reasons()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var first = await ApiClient.Expect(await Subscribe(customer, uprn), HttpStatusCode.Created);
        var again = await ApiClient.Expect(await Subscribe(customer, uprn, bins: 1), HttpStatusCode.Conflict);
        Assert.That(again["existingSubscriptionId"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        // Next season is its own subscription.
        var next = await ApiClient.Expect(await Subscribe(customer, uprn, season: "2027-28"), HttpStatusCode.Created);
        Assert.That(next["validFrom"]!.GetValue<string>(), Is.EqualTo("2027-04-01"));

        async Task<JsonNode> Refused(HttpResponseMessage response, string field)
        {
            var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
            return problem;
        }
        await Refused(await Subscribe(customer, NewUprn(), bins: 0), "bins");
        await Refused(await Subscribe(customer, NewUprn(), bins: 6), "bins");
        await Refused(await Subscribe(customer, WasteUprns.NotOnARound), "uprn");
        await Refused(await Subscribe(Guid.CreateVersion7().ToString(), NewUprn()), "customerId");
        await Refused(await Subscribe(customer, NewUprn(), season: "2030-31"), "season");
        await Refused(await Subscribe(customer, NewUprn(), season: "spring"), "season");
        await Refused(await _advisor.PostAsync($"{Base}/waste/garden-subscriptions", new { }), "customerId");
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions"), HttpStatusCode.BadRequest);
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/waste/garden-subscriptions/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound);
        using var auditor = Client("auditor", "auditor");
        Assert.That((await auditor.PostAsync($"{Base}/waste/garden-subscriptions", new { customerId = customer, uprn, bins = 1 })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));

        // Concurrent requests for one property and season: one subscription.
        var racing = NewUprn();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Subscribe(customer, racing)));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(responses.Select(r => r.StatusCode), Has.All.AnyOf(HttpStatusCode.Created, HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Renewal_is_for_the_next_season_pending_until_paid_and_an_unpaid_request_lapses_when_its_payment_expires()
    {
        var customer = await Customer();
        var uprn = NewUprn();
        var first = await ApiClient.Expect(await Subscribe(customer, uprn, bins: 1), HttpStatusCode.Created);
        var id = first["id"]!.GetValue<string>();
        var renewUrl = $"{Base}/waste/garden-subscriptions/{id}/renewal";
        var notPaid = await ApiClient.Expect(await _advisor.PostAsync(renewUrl, new { }), HttpStatusCode.Conflict);
        Assert.That(notPaid["currentStatus"]!.GetValue<string>(), Is.EqualTo("pending-payment"));

        await AsPayments(new PaymentRequestPaid(first["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>(), PaymentPurposes.GardenWasteSubscription, id,
            "pay-3", "CHE-R-000043", 4800));
        await Eventually.Until(() => Get(id), s => s["status"]!.GetValue<string>() == "active");

        var renewal = await ApiClient.Expect(await _advisor.PostAsync(renewUrl, new { bins = 3 }), HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(renewal["season"]!.GetValue<string>(), Is.EqualTo("2027-28"));
            Assert.That(renewal["status"]!.GetValue<string>(), Is.EqualTo("pending-payment"));
            Assert.That(renewal["renewalOf"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(renewal["bins"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(renewal["paymentDue"]!["amountPence"]!.GetValue<long>(), Is.EqualTo(3 * 4800));
        });
        await ApiClient.Expect(await _advisor.PostAsync(renewUrl, new { }), HttpStatusCode.Conflict);

        // Unpaid for longer than the payment window: a new request replaces it and Payments is told.
        _clock.SetLocal(2026, 12, 20, 10);
        var renewalId = renewal["id"]!.GetValue<string>();
        var replaced = await ApiClient.Expect(await Subscribe(customer, uprn, bins: 1, season: "2027-28"), HttpStatusCode.Created);
        Assert.That(replaced["id"]!.GetValue<string>(), Is.Not.EqualTo(renewalId));
        Assert.That((await Get(renewalId))["status"]!.GetValue<string>(), Is.EqualTo("expired"));
        var withdrawn = renewal["paymentDue"]!["paymentRequestId"]!.GetValue<Guid>();
        await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<PaymentRequestWithdrawn>().Any(w => w.PaymentRequestId == withdrawn)),
            because: "the lapsed request is withdrawn");

        // If the lapsed one is paid after all, the money goes back.
        await AsPayments(new PaymentRequestPaid(withdrawn, PaymentPurposes.GardenWasteSubscription, renewalId, "pay-4", "CHE-R-000044", 14400));
        await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<RefundPaymentRequest>().Any(r => r.PaymentRequestId == withdrawn)),
            because: "a payment for a lapsed subscription is refunded");
        Assert.That((await Get(renewalId))["status"]!.GetValue<string>(), Is.EqualTo("expired"));
    }

    [Test]
    public async Task A_bulky_collection_from_Bookings_raises_one_works_order_sent_to_the_contractor_and_on_the_timeline()
    {
        var customer = await Customer();
        var bulkyId = Guid.CreateVersion7().ToString();
        var bookingId = Guid.CreateVersion7().ToString();
        var command = new RaiseBulkyWorksOrder(bulkyId, bookingId, customer, NewUprn().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sofa", "fridge"], new DateOnly(2026, 12, 9));
        await AsPayments(command); // sent as Bookings would: through an event session's outbox
        var raised = await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<BulkyWorksOrderRaised>().FirstOrDefault(r => r.BulkyCollectionId == bulkyId)),
            r => r is not null, because: "Waste answers BulkyWorksOrderRaised");
        Assert.That(raised!.BookingId, Is.EqualTo(bookingId));

        var order = await Eventually.Until(async () => await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders/{raised.WorksOrderId}"), HttpStatusCode.OK),
            o => o["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15), "the order is sent to the contractor");
        var call = _contractor.Calls.Last(c => c.Key == raised.WorksOrderId);
        Assert.Multiple(() =>
        {
            Assert.That(order["kind"]!.GetValue<string>(), Is.EqualTo("bulky-collection"));
            Assert.That(order["collectionDate"]!.GetValue<string>(), Is.EqualTo("2026-12-09"));
            Assert.That(order["items"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { "sofa", "fridge" }));
            Assert.That(order["bookingId"]!.GetValue<string>(), Is.EqualTo(bookingId));
            Assert.That(call.Body["type"]!.GetValue<string>(), Is.EqualTo("bulky-collection"));
            Assert.That(call.Body["items"]!.AsArray().Count, Is.EqualTo(2));
            Assert.That(call.Body["collectionDate"]!.GetValue<string>(), Is.EqualTo("2026-12-09"));
        });

        // The same collection asked for again: the same works order, nothing new raised.
        await AsPayments(command);
        await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<BulkyWorksOrderRaised>().Count(r => r.BulkyCollectionId == bulkyId) == 2),
            because: "a repeat is answered too");
        Assert.That(_probe.Seen.OfType<BulkyWorksOrderRaised>().Where(r => r.BulkyCollectionId == bulkyId).Select(r => r.WorksOrderId).Distinct().Count(), Is.EqualTo(1));

        await ApiClient.Expect(await _officer.PostAsync($"{Base}/waste/works-orders/{raised.WorksOrderId}/status", new { status = "completed" }), HttpStatusCode.OK);
        var summaries = await Eventually.Until(async () => (await Timeline(customer))["items"]!.AsArray()
                .Where(i => i!["module"]!.GetValue<string>() == "waste").Select(i => i!["summary"]!.GetValue<string>()).ToList(),
            s => s.Count >= 3, because: "the order is on the customer's timeline");
        Assert.That(summaries, Is.EqualTo(new[]
        {
            "Works order for bulky waste collection completed",
            "Works order for bulky waste collection sent to the contractor",
            "Bulky waste collection of 2026-12-09 (2 items); works order raised",
        }));
    }

    [Test]
    public async Task A_cancelled_bulky_collection_cancels_its_works_order_and_tells_the_contractor()
    {
        var customer = await Customer();
        var bulkyId = Guid.CreateVersion7().ToString();
        await AsPayments(new RaiseBulkyWorksOrder(bulkyId, Guid.CreateVersion7().ToString(), customer,
            NewUprn().ToString(System.Globalization.CultureInfo.InvariantCulture), ["wardrobe"], new DateOnly(2026, 12, 10)));
        var raised = await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<BulkyWorksOrderRaised>().FirstOrDefault(r => r.BulkyCollectionId == bulkyId)),
            r => r is not null, because: "Waste answers BulkyWorksOrderRaised");
        var sent = await Eventually.Until(async () => await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders/{raised!.WorksOrderId}"), HttpStatusCode.OK),
            o => o["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15), "the order is sent to the contractor");
        var reference = sent["contractorReference"]!.GetValue<string>();

        await AsPayments(new CancelBulkyWorksOrder(bulkyId, raised!.BookingId)); // as Bookings does when the resident cancels
        await Eventually.Until(async () => await ApiClient.Expect(await _officer.GetAsync($"{Base}/waste/works-orders/{raised.WorksOrderId}"), HttpStatusCode.OK),
            o => o["status"]!.GetValue<string>() == "cancelled", TimeSpan.FromSeconds(15), "the works order is cancelled");
        var call = await Eventually.Until(() => Task.FromResult(_contractor.Cancellations.FirstOrDefault(c => c.Reference == reference && c.Status == 200)),
            c => c.Reference is not null, TimeSpan.FromSeconds(15), "the contractor is told");
        Assert.That(call.Key, Is.EqualTo("cancel-" + raised.WorksOrderId));
        await Eventually.Until(async () => (await Timeline(customer))["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()).ToList(),
            s => s.Contains("Works order for bulky waste collection cancelled"), because: "the cancellation is on the customer's timeline");

        // A repeat changes nothing and calls nobody again.
        await AsPayments(new CancelBulkyWorksOrder(bulkyId, raised.BookingId));
        await Task.Delay(500);
        Assert.That(_contractor.Cancellations.Count(c => c.Reference == reference), Is.EqualTo(1));
    }

    [Test]
    public async Task A_cancellation_that_overtakes_the_raise_means_no_works_order_is_raised()
    {
        var customer = await Customer();
        var bulkyId = Guid.CreateVersion7().ToString();
        var bookingId = Guid.CreateVersion7().ToString();
        var calls = _contractor.Calls.Count;
        await AsPayments(new CancelBulkyWorksOrder(bulkyId, bookingId));
        await AsPayments(new RaiseBulkyWorksOrder(bulkyId, bookingId, customer,
            NewUprn().ToString(System.Globalization.CultureInfo.InvariantCulture), ["bed"], new DateOnly(2026, 12, 11)));
        // A later, unrelated collection is raised and answered: by then the first raise has been handled.
        var laterId = Guid.CreateVersion7().ToString();
        await AsPayments(new RaiseBulkyWorksOrder(laterId, Guid.CreateVersion7().ToString(), customer,
            NewUprn().ToString(System.Globalization.CultureInfo.InvariantCulture), ["bed"], new DateOnly(2026, 12, 11)));
        await Eventually.Until(() => Task.FromResult(_probe.Seen.OfType<BulkyWorksOrderRaised>().Any(r => r.BulkyCollectionId == laterId)),
            because: "the later collection is raised");
        var waste = (await Timeline(customer))["items"]!.AsArray().Where(i => i!["module"]!.GetValue<string>() == "waste").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(_probe.Seen.OfType<BulkyWorksOrderRaised>().Any(r => r.BulkyCollectionId == bulkyId), Is.False);
            Assert.That(waste.Count(i => i!["summary"]!.GetValue<string>().StartsWith("Bulky waste collection", StringComparison.Ordinal)), Is.EqualTo(1),
                "only the later collection has a works order");
        });
    }

    /// <summary>Stands in for the other modules: records what Waste sends them.</summary>
    private sealed class OutboundProbe : IMessageHandler<PaymentRequested>, IMessageHandler<PaymentRequestWithdrawn>, IMessageHandler<RefundPaymentRequest>,
        IMessageHandler<BulkyWorksOrderRaised>
    {
        public ConcurrentQueue<object> Seen { get; } = new();

        public Task HandleAsync(PaymentRequested message, MessageContext context, CancellationToken ct) => Record(message);
        public Task HandleAsync(PaymentRequestWithdrawn message, MessageContext context, CancellationToken ct) => Record(message);
        public Task HandleAsync(RefundPaymentRequest message, MessageContext context, CancellationToken ct) => Record(message);
        public Task HandleAsync(BulkyWorksOrderRaised message, MessageContext context, CancellationToken ct) => Record(message);

        private Task Record(object message)
        {
            Seen.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
