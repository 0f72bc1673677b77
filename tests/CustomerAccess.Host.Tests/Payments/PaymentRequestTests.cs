using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>Plays the selling module: records every answer Payments sends through the outbox.</summary>
public sealed class SellerAnswers : IMessageHandler<PaymentRequestPaid>, IMessageHandler<PaymentRequestFailed>
{
    public ConcurrentQueue<PaymentRequestPaid> Paid { get; } = new();
    public ConcurrentQueue<PaymentRequestFailed> Failed { get; } = new();

    public Task HandleAsync(PaymentRequestPaid message, MessageContext context, CancellationToken ct)
    {
        Paid.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task HandleAsync(PaymentRequestFailed message, MessageContext context, CancellationToken ct)
    {
        Failed.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>The real host with background work (outbox), test sign-in, a fake GOV.UK Pay and <see cref="SellerAnswers"/>.</summary>
public sealed class PaymentsHostFixture : WebApplicationFactory<Program>
{
    private readonly TestDatabase _db;
    private readonly Dictionary<string, string?> _settings;

    private PaymentsHostFixture(TestDatabase db, Dictionary<string, string?> settings)
    {
        _db = db;
        _settings = settings;
    }

    public TestDatabase Database => _db;
    public SellerAnswers Answers { get; } = new();

    public static async Task<PaymentsHostFixture> StartAsync(FakeGovUkPay fake, Dictionary<string, string?>? extra = null)
    {
        var db = await TestDatabase.CreateAsync();
        var settings = HostSettings.For(db);
        settings["CustomerAccess:Messaging:RetryBaseDelay"] = "00:00:00.050";
        settings["CustomerAccess:Messaging:LeaseRetryInterval"] = "00:00:00.200";
        settings["Payments:Provider:BaseUrl"] = fake.BaseUrl;
        settings["Payments:Provider:ApiKey"] = FakeGovUkPay.ApiKey;
        settings["Payments:Provider:AttemptTimeout"] = "00:00:00.400";
        settings["Payments:Provider:RetryDelay"] = "00:00:00.020";
        settings["Payments:Provider:CircuitBreakerMinimumThroughput"] = "1000";
        settings["Payments:Provider:PollInterval"] = "00:00:00";
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var fixture = new PaymentsHostFixture(db, settings);
        _ = fixture.Server;
        return fixture;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            TestAuthHandler.AddTo(services);
            services.AddMessageHandler<PaymentRequestPaid>(Answers);
            services.AddMessageHandler<PaymentRequestFailed>(Answers);
        });
    }

    public ApiClient Client(string name, string role, params string[] councils)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return new ApiClient(http, name);
    }

    /// <summary>Sends a message the way a selling module does: through the outbox of a committed session.</summary>
    public async Task SendAsync(string council, object message, string sender = "test-seller")
    {
        var store = Services.GetRequiredService<EventStore>();
        await using var session = await store.OpenSessionAsync(council, EventContext.System(sender));
        await session.SendAsync(message);
        await session.CommitAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// The payment-request seam end to end: a module's PaymentRequested through the outbox becomes a payment due,
/// paying it (cash at once, card when the provider confirms) answers PaymentRequestPaid, a failed card payment
/// answers PaymentRequestFailed, withdrawal refuses later payments, and RefundPaymentRequest refunds in full.
/// </summary>
public class PaymentRequestTests
{
    private FakeGovUkPay _fake = null!;
    private PaymentsHostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _cotswold = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _fake = await FakeGovUkPay.StartAsync();
        _host = await PaymentsHostFixture.StartAsync(_fake);
        _advisor = _host.Client("advisor", "advisor", "cheltenham", "cotswold");
        _cotswold = _host.Client("advisor.cotswold", "advisor", "cotswold");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _cotswold.Dispose();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private async Task<string> RegisterCustomer(string council = "cheltenham")
    {
        var id = Guid.CreateVersion7().ToString();
        var store = _host.Database.CreateEventStore([typeof(CustomerStub).Assembly]);
        await using var session = await store.OpenSessionAsync(council, EventContext.System("test"));
        await session.AppendAsync(CustomerStreams.For(id), 0, [new CustomerStub()], id);
        await session.CommitAsync();
        return id;
    }

    /// <summary>Sends PaymentRequested and waits until Payments shows the payment due.</summary>
    private async Task<(Guid Id, string PurposeId, JsonNode Due)> Request(long amount, string? customerId = null, string fund = "bulky-waste",
        DateTimeOffset? expiresAt = null, string council = "cheltenham")
    {
        var id = Guid.CreateVersion7();
        var purposeId = "bulky-" + Guid.NewGuid().ToString("N")[..8];
        await _host.SendAsync(council, new PaymentRequested(id, customerId, fund, amount, PaymentPurposes.BulkyCollection, purposeId,
            "BW-2027-" + amount, "Bulky waste collection, 3 items", expiresAt));
        var due = await Eventually.Until(async () => await _advisor.GetAsync($"/api/councils/{council}/payments/requests/{id}"),
            r => r.StatusCode == HttpStatusCode.OK, because: "Payments records the payment due");
        return (id, purposeId, (await ApiClient.Json(due))!);
    }

    private async Task<JsonNode> Pay(Guid requestId, long amount, string channel = "cash", string fund = "bulky-waste",
        HttpStatusCode expected = HttpStatusCode.Created, string council = "cheltenham") =>
        await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/{council}/payments",
            new { fund, amountPence = amount, channel, paymentRequestId = requestId.ToString(), idempotencyKey = Keys.New() }), expected);

    private Task<PaymentRequestPaid> PaidAnswer(Guid id, int count = 1) => Eventually.Until(
        () => Task.FromResult(_host.Answers.Paid.Where(p => p.PaymentRequestId == id).ToList()), l => l.Count >= count,
        because: "Payments answers PaymentRequestPaid").ContinueWith(t => t.Result[^1], TaskScheduler.Default);

    private async Task<long> Count(string sql)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task A_payment_request_becomes_a_payment_due_on_the_customer_and_a_cash_payment_answers_paid()
    {
        var customer = await RegisterCustomer();
        var (id, purposeId, due) = await Request(3450, customer);
        Assert.Multiple(() =>
        {
            Assert.That(due["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(due["amountPence"]!.GetValue<long>(), Is.EqualTo(3450));
            Assert.That(due["customerId"]!.GetValue<string>(), Is.EqualTo(customer));
            Assert.That(due["description"]!.GetValue<string>(), Is.EqualTo("Bulky waste collection, 3 items"));
        });
        var listed = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests?customerId={customer}&status=open"), HttpStatusCode.OK);
        Assert.That(listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()), Is.EqualTo(new[] { id }));

        var store = _host.Database.CreateEventStore([typeof(CustomerAccess.Payments.PaymentsModule).Assembly]);
        await using (var session = await store.OpenSessionAsync("cheltenham", EventContext.System()))
        {
            var events = await session.ReadStreamAsync("payment-request-" + id);
            var entry = (ITimelineEntry)events.Single().Data;
            Assert.That(entry.TimelineSummary, Is.EqualTo("Payment of £34.50 requested: Bulky waste collection, 3 items"));
            Assert.That(events.Single().Metadata.CustomerId, Is.EqualTo(customer));
        }

        var payment = await Pay(id, 3450);
        Assert.That(payment["paymentRequestId"]!.GetValue<Guid>(), Is.EqualTo(id));
        var answer = await PaidAnswer(id);
        Assert.Multiple(() =>
        {
            Assert.That(answer.PurposeId, Is.EqualTo(purposeId));
            Assert.That(answer.Purpose, Is.EqualTo(PaymentPurposes.BulkyCollection));
            Assert.That(answer.PaymentId, Is.EqualTo(payment["id"]!.GetValue<string>()));
            Assert.That(answer.ReceiptNumber, Is.EqualTo(payment["receiptNumber"]!.GetValue<string>()));
            Assert.That(answer.AmountPence, Is.EqualTo(3450));
        });
        var read = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{answer.PaymentId}"), HttpStatusCode.OK);
        Assert.That(read["customerId"]!.GetValue<string>(), Is.EqualTo(customer), "the payment is the request's customer's");
        var after = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests/{id}"), HttpStatusCode.OK);
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("paid"));
        Assert.That(after["receiptNumber"]!.GetValue<string>(), Is.EqualTo(answer.ReceiptNumber));

        var again = await Pay(id, 3450, expected: HttpStatusCode.Conflict);
        Assert.That(again["detail"]!.GetValue<string>(), Does.Contain("already paid"));
    }

    [Test]
    public async Task A_payment_must_match_the_request_and_the_request_must_be_this_councils()
    {
        var (id, _, _) = await Request(2000);
        var before = await Count("select count(*) from payments.payments");
        var wrongAmount = await Pay(id, 1999, expected: HttpStatusCode.BadRequest);
        Assert.That(wrongAmount["errors"]!["amountPence"], Is.Not.Null);
        var wrongFund = await Pay(id, 2000, fund: "garden-waste", expected: HttpStatusCode.BadRequest);
        Assert.That(wrongFund["errors"]!["fund"], Is.Not.Null);
        var otherCouncil = await Pay(id, 2000, council: "cotswold", expected: HttpStatusCode.BadRequest);
        Assert.That(otherCouncil["errors"]!["paymentRequestId"], Is.Not.Null, "a request of another council does not exist here");
        var unknown = await Pay(Guid.NewGuid(), 2000, expected: HttpStatusCode.BadRequest);
        Assert.That(unknown["errors"]!["paymentRequestId"], Is.Not.Null);
        var garbage = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments",
            new { fund = "bulky-waste", amountPence = 2000, channel = "cash", paymentRequestId = "nope", idempotencyKey = Keys.New() }), HttpStatusCode.BadRequest);
        Assert.That(garbage["errors"]!["paymentRequestId"], Is.Not.Null);
        await ApiClient.Expect(await _cotswold.GetAsync($"/api/councils/cotswold/payments/requests/{id}"), HttpStatusCode.NotFound);
        Assert.That(await Count("select count(*) from payments.payments"), Is.EqualTo(before), "nothing was written");
        var bad = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests?status=lost"), HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!["status"], Is.Not.Null);
    }

    [Test]
    public async Task A_withdrawn_request_refuses_payment_with_409_and_an_expired_one_too()
    {
        var (id, _, _) = await Request(1500);
        await _host.SendAsync("cheltenham", new PaymentRequestWithdrawn(id, "hold-expired"));
        await Eventually.Until(async () => (await ApiClient.Json(await _advisor.GetAsync($"{Base}/payments/requests/{id}")))!["status"]!.GetValue<string>(),
            s => s == "withdrawn", because: "the withdrawal is recorded");
        var refused = await Pay(id, 1500, expected: HttpStatusCode.Conflict);
        Assert.That(refused["paymentRequestStatus"]!.GetValue<string>(), Is.EqualTo("withdrawn"));

        var (expired, _, due) = await Request(1600, expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.That(due["status"]!.GetValue<string>(), Is.EqualTo("expired"));
        var late = await Pay(expired, 1600, expected: HttpStatusCode.Conflict);
        Assert.That(late["paymentRequestStatus"]!.GetValue<string>(), Is.EqualTo("expired"));
        var listed = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests?status=expired"), HttpStatusCode.OK);
        Assert.That(listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()), Does.Contain(expired).And.Not.Contain(id));
    }

    [Test]
    public async Task Withdrawing_a_paid_request_answers_paid_again()
    {
        var (id, _, _) = await Request(1700);
        var payment = await Pay(id, 1700);
        await PaidAnswer(id);
        await _host.SendAsync("cheltenham", new PaymentRequestWithdrawn(id, "booking-cancelled"));
        var again = await PaidAnswer(id, count: 2);
        Assert.That(again.PaymentId, Is.EqualTo(payment["id"]!.GetValue<string>()));
        var read = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests/{id}"), HttpStatusCode.OK);
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("paid"), "a paid request stays paid");
    }

    [Test]
    public async Task A_refund_the_seller_asks_for_is_counted_to_the_person_whose_action_asked_for_it()
    {
        // An advisor takes cash for a booking and later cancels it: the seller's cancellation asks for the
        // refund, which the system issues. The cash goes back over the advisor's counter, so the cash-up
        // must expect it from the advisor, not from a "system" drawer nobody declares.
        const string council = "cotswold";
        var (id, _, _) = await Request(1300, council: council);
        var payment = await Pay(id, 1300, council: council);
        await PaidAnswer(id);
        await _host.SendAsync(council, new RefundPaymentRequest(id, "Booking cancelled."), sender: "advisor");
        var paymentId = payment["id"]!.GetValue<string>();
        await Eventually.Until(async () => (await ApiClient.Json(await _advisor.GetAsync($"/api/councils/{council}/payments/{paymentId}")))!,
            p => p["refundedPence"]!.GetValue<long>() == 1300, because: "the refund is recorded");

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);
        var cashUp = await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/{council}/payments/cash-up?date={day:yyyy-MM-dd}"), HttpStatusCode.OK);
        var cashiers = cashUp["cash"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["expectedPence"]!.GetValue<long>());
        Assert.Multiple(() =>
        {
            Assert.That(cashiers.Keys, Does.Not.Contain("system"));
            Assert.That(cashiers["advisor"], Is.EqualTo(0), "taken 1300 and handed back 1300");
        });
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select metadata->>'actor', metadata->>'onBehalfOf' from es.events where tenant_id = $1 and stream_id = $2 and event_type = 'payments.refund-issued'", admin);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue("payment-" + paymentId);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.That(await r.ReadAsync(), Is.True);
        Assert.That((r.GetString(0), r.GetString(1)), Is.EqualTo(("system", "advisor")), "the event stays the system's, for the advisor");
    }

    [Test]
    public async Task RefundPaymentRequest_refunds_the_requests_payment_in_full_with_the_reason()
    {
        var (id, _, _) = await Request(2200);
        var payment = await Pay(id, 2200);
        var paymentId = payment["id"]!.GetValue<string>();
        await PaidAnswer(id);
        await _host.SendAsync("cheltenham", new RefundPaymentRequest(id, "collection-not-possible"));
        var read = await Eventually.Until(async () => (await ApiClient.Json(await _advisor.GetAsync($"{Base}/payments/{paymentId}")))!,
            p => p["refundedPence"]!.GetValue<long>() > 0, because: "the refund is recorded");
        Assert.Multiple(() =>
        {
            Assert.That(read["refundedPence"]!.GetValue<long>(), Is.EqualTo(2200));
            Assert.That(read["refunds"]!.AsArray().Single()!["reason"]!.GetValue<string>(), Is.EqualTo("collection-not-possible"));
        });
        // A redelivery or a second ask has nothing left to refund.
        await _host.SendAsync("cheltenham", new RefundPaymentRequest(id, "again"));
        await Eventually.Until(async () => await Count("select count(*) from platform.outbox where message_type = 'payments.refund-payment-request'") == 0,
            because: "the second ask is handled");
        Assert.That(await Count($"select count(*) from payments.refunds where payment_id = '{paymentId}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_card_payment_against_a_request_answers_paid_when_the_provider_confirms_and_failed_when_it_fails()
    {
        var (id, purposeId, _) = await Request(2301);
        var started = await Pay(id, 2301, channel: "web");
        Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        var paymentId = started["id"]!.GetValue<string>();
        _fake.Finish(paymentId, "failed");
        var failed = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{paymentId}"), HttpStatusCode.OK);
        Assert.That(failed["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        var answer = await Eventually.Until(() => Task.FromResult(_host.Answers.Failed.FirstOrDefault(f => f.PaymentRequestId == id)),
            f => f is not null, because: "Payments answers PaymentRequestFailed");
        Assert.Multiple(() =>
        {
            Assert.That(answer!.PaymentId, Is.EqualTo(paymentId));
            Assert.That(answer.PurposeId, Is.EqualTo(purposeId));
            Assert.That(answer.Reason, Is.EqualTo("failed"));
        });
        var stillOpen = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests/{id}"), HttpStatusCode.OK);
        Assert.That(stillOpen["status"]!.GetValue<string>(), Is.EqualTo("open"), "a failed attempt leaves the request payable");

        var retry = await Pay(id, 2301, channel: "telephone");
        var retryId = retry["id"]!.GetValue<string>();
        Assert.That(_host.Answers.Paid.Any(p => p.PaymentRequestId == id), Is.False, "nothing is paid before the provider confirms");
        _fake.Finish(retryId, "success");
        var succeeded = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{retryId}"), HttpStatusCode.OK);
        Assert.That(succeeded["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        var paid = await PaidAnswer(id);
        Assert.That(paid.PaymentId, Is.EqualTo(retryId));
        Assert.That(paid.ReceiptNumber, Is.EqualTo(succeeded["receiptNumber"]!.GetValue<string>()));
    }

    [Test]
    public async Task Two_card_payments_that_both_go_through_for_one_request_refund_the_second_in_full()
    {
        // The payer in one tab and an advisor on the phone both start paying the same payment due.
        var (id, _, _) = await Request(2402);
        var first = (await Pay(id, 2402, channel: "web"))["id"]!.GetValue<string>();
        var second = (await Pay(id, 2402, channel: "telephone"))["id"]!.GetValue<string>();
        _fake.Finish(first, "success");
        _fake.Finish(second, "success");
        var paid = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{first}"), HttpStatusCode.OK);
        await PaidAnswer(id);
        var twice = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{second}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(paid["refundedPence"]!.GetValue<long>(), Is.EqualTo(0), "the first payment stands");
            Assert.That(twice["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
            Assert.That(twice["refundedPence"]!.GetValue<long>(), Is.EqualTo(2402), "the second is handed back in full");
            Assert.That(twice["refunds"]!.AsArray().Single()!["reason"]!.GetValue<string>(),
                Does.StartWith("Paid twice").And.Contain(paid["receiptNumber"]!.GetValue<string>()));
        });
        await Eventually.Until(() => Task.FromResult(_fake.RefundsOf(second).Sum(r => r.Amount) == 2402), because: "the refund reaches the provider");
        Assert.That(_fake.RefundsOf(first), Is.Empty);
        Assert.That(_host.Answers.Paid.Where(p => p.PaymentRequestId == id).Select(p => p.PaymentId), Is.EqualTo(new[] { first }),
            "the seller hears Paid once, for the first payment");
        var request = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests/{id}"), HttpStatusCode.OK);
        Assert.That(request["paymentId"]!.GetValue<string>(), Is.EqualTo(first));
    }

    [Test]
    public async Task A_request_Payments_cannot_honour_is_answered_failed()
    {
        var id = Guid.CreateVersion7();
        await _host.SendAsync("cheltenham", new PaymentRequested(id, null, "no-such-fund", 100, PaymentPurposes.Booking, "b-1", "BK-1", "Pitch booking", null));
        var answer = await Eventually.Until(() => Task.FromResult(_host.Answers.Failed.FirstOrDefault(f => f.PaymentRequestId == id)),
            f => f is not null, because: "an unknown fund is answered");
        Assert.That(answer!.Reason, Is.EqualTo("unknown-fund"));
        await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/requests/{id}"), HttpStatusCode.NotFound);
    }
}
