using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// Web and telephone payments through the provider adapter, against a fake GOV.UK Pay on a real
/// socket: success, failure, create timing out, 5xx then success, and an unknown outcome settled
/// by looking the payment up by our reference. Each test uses its own amount to pick its script.
/// </summary>
public class CardPaymentTests
{
    private FakeGovUkPay _fake = null!;
    private HostFixture _host = null!;
    private LogCapture _logs = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _logged = null!;
    private ApiClient _advisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _fake = await FakeGovUkPay.StartAsync();
        _host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Payments:Provider:BaseUrl"] = _fake.BaseUrl,
            ["Payments:Provider:ApiKey"] = FakeGovUkPay.ApiKey,
            ["Payments:Provider:AttemptTimeout"] = "00:00:00.400",
            ["Payments:Provider:MaxRetries"] = "2",
            ["Payments:Provider:RetryDelay"] = "00:00:00.020",
            ["Payments:Provider:UnknownOutcomeGrace"] = "00:00:00",
            ["Payments:Provider:CircuitBreakerMinimumThroughput"] = "1000",
            ["Payments:Provider:PollInterval"] = "00:00:00", // each test settles by GET; the sweep has its own test
        }, testAuth: true);
        _logs = new LogCapture();
        _logged = _logs.Attach(_host);
        var http = _logged.CreateClient();
        http.DefaultRequestHeaders.Add(Testing.TestAuthHandler.Header, Testing.TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        _advisor = new ApiClient(http, "advisor");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _logs.Dispose();
        await _logged.DisposeAsync();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private async Task<JsonNode> Start(long amount, string channel = "web", string? key = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await _advisor.PostAsync($"{Base}/payments",
            new { fund = "garden-waste", amountPence = amount, channel, idempotencyKey = key ?? Keys.New() });
        return await ApiClient.Expect(response, expected);
    }

    private async Task<JsonNode> Get(string id) => await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);

    private async Task<List<string>> EventTypes(string id)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select event_type from es.events where stream_id = $1 order by stream_version", admin);
        cmd.Parameters.AddWithValue("payment-" + id);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add(r.GetString(0));
        return list;
    }

    [Test]
    public async Task A_web_payment_is_pending_with_a_next_url_and_gets_its_receipt_when_the_provider_says_success()
    {
        var started = await Start(1101);
        var id = started["id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(started["receiptNumber"], Is.Null);
            Assert.That(started["nextUrl"]!.GetValue<string>(), Does.StartWith(_fake.BaseUrl + "/secure/"));
        });
        Assert.That((await Get(id))["status"]!.GetValue<string>(), Is.EqualTo("pending"), "the payer has not finished yet");

        _fake.Finish(id, "success");
        var done = await Get(id);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(done["receiptNumber"]!.GetValue<string>(), Does.Match(@"^CHL-\d{6}$"));
        Assert.That(await EventTypes(id), Is.EqualTo(new[] { "payments.payment-taken", "payments.provider-payment-created", "payments.payment-succeeded" }));
        Assert.That((await Get(id))["receiptNumber"]!.GetValue<string>(), Is.EqualTo(done["receiptNumber"]!.GetValue<string>()), "settled once");
        Assert.That(_fake.AuthorizationHeaders, Has.All.EqualTo("Bearer " + FakeGovUkPay.ApiKey));
        Assert.That(_logs.All, Does.Not.Contain(FakeGovUkPay.ApiKey), "the API key is never logged");

        var refund = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 100, reason = "Partial" }), HttpStatusCode.Created);
        Assert.That(refund["providerRefund"]!.GetValue<string>(), Is.EqualTo("queued"), "sent to the provider after commit, through the outbox");
    }

    [Test]
    public async Task A_payment_the_provider_fails_takes_no_money_and_cannot_be_refunded()
    {
        var id = (await Start(1102, "telephone"))["id"]!.GetValue<string>();
        _fake.Finish(id, "failed");
        var done = await Get(id);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(done["receiptNumber"], Is.Null);
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 1, reason = "x" }), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task A_5xx_then_success_creates_exactly_one_provider_payment()
    {
        _fake.For(1103).FailCreates = 1;
        var started = await Start(1103);
        var id = started["id"]!.GetValue<string>();
        Assert.That(started["nextUrl"], Is.Not.Null);
        Assert.That(_fake.WithReference(id), Has.Count.EqualTo(1));
        Assert.That(_fake.Calls.Count(c => c == "POST /v1/payments" ), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task A_create_that_times_out_everywhere_stays_pending_then_fails_once_the_provider_is_known_to_hold_nothing()
    {
        _fake.For(1104).HangCreates = 100;
        var key = Keys.New();
        var started = await Start(1104, key: key);
        var id = started["id"]!.GetValue<string>();
        Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(started["nextUrl"], Is.Null, "outcome unknown: no page to send the payer to");
        Assert.That(_fake.WithReference(id), Is.Empty);

        // Polling looks the payment up by our reference: the provider holds none, so no money was taken.
        var done = await Get(id);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(done["providerStatus"]!.GetValue<string>(), Is.EqualTo("not-created"));
        var replay = await Start(1104, key: key, expected: HttpStatusCode.OK);
        Assert.That(replay["id"]!.GetValue<string>(), Is.EqualTo(id));
    }

    [Test]
    public async Task An_unknown_outcome_is_settled_by_looking_up_our_reference_never_by_creating_again()
    {
        var script = _fake.For(1105);
        script.HangCreates = 1;
        script.CreateBeforeHanging = true; // the provider created it, but we never heard back
        script.FailSearches = true;        // and it cannot be asked during the request either
        var started = await Start(1105);
        var id = started["id"]!.GetValue<string>();
        Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(started["providerPaymentId"], Is.Null);

        script.FailSearches = false;
        var linked = await Get(id);
        Assert.That(linked["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(linked["providerPaymentId"]!.GetValue<string>(), Is.EqualTo(_fake.WithReference(id).Single().Id));

        _fake.Finish(id, "success");
        Assert.That((await Get(id))["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(_fake.WithReference(id), Has.Count.EqualTo(1), "never a second provider payment");
    }

    [Test]
    public async Task An_unknown_outcome_retried_with_the_same_key_is_settled_by_lookup()
    {
        var script = _fake.For(1106);
        script.HangCreates = 1;
        script.CreateBeforeHanging = true;
        script.FailSearches = true;
        var key = Keys.New();
        var started = await Start(1106, key: key);
        Assert.That(started["nextUrl"], Is.Null);
        script.FailSearches = false;
        var replay = await Start(1106, key: key, expected: HttpStatusCode.OK);
        Assert.That(replay["id"]!.GetValue<string>(), Is.EqualTo(started["id"]!.GetValue<string>()));
        Assert.That(replay["nextUrl"]!.GetValue<string>(), Does.StartWith(_fake.BaseUrl));
        Assert.That(_fake.WithReference(started["id"]!.GetValue<string>()), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_success_confirmed_after_its_day_closed_counts_towards_the_next_day()
    {
        // Cotswold is this test's own council in this fixture: it closes today there.
        using var cotswold = ApiClient.As(_host, "advisor", "advisor", "cotswold");
        var started = await ApiClient.Expect(await cotswold.PostAsync("/api/councils/cotswold/payments",
            new { fund = "parking", amountPence = 1108, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        var id = started["id"]!.GetValue<string>();
        var today = (await ApiClient.Expect(await cotswold.GetAsync("/api/councils/cotswold/payments/cash-up"), HttpStatusCode.OK))["date"]!.GetValue<string>();
        var closed = await ApiClient.Expect(await cotswold.PostAsync($"/api/councils/cotswold/payments/cash-up/{today}/close", new { }), HttpStatusCode.OK);
        Assert.That(closed["payments"]!.GetValue<int>(), Is.Zero, "a pending payment is not money taken");

        _fake.Finish(id, "success");
        var done = await ApiClient.Expect(await cotswold.GetAsync($"/api/councils/cotswold/payments/{id}"), HttpStatusCode.OK);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), "the provider took the money: it is recorded");
        Assert.That(done["businessDate"]!.GetValue<string>(),
            Is.EqualTo(DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var after = await ApiClient.Expect(await cotswold.GetAsync($"/api/councils/cotswold/payments/cash-up?date={today}"), HttpStatusCode.OK);
        Assert.That(after["payments"]!.GetValue<int>(), Is.Zero, "the closed day did not change");
    }

    [Test]
    public async Task Cash_type_channels_never_call_the_provider()
    {
        var before = _fake.Calls.Count;
        var paid = await Start(1107, "card-present");
        Assert.That(paid["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(_fake.Calls, Has.Count.EqualTo(before));
    }
}

/// <summary>When the provider keeps failing, the circuit opens and calls fail fast instead of piling up on it.</summary>
public class ProviderCircuitBreakerTests
{
    [Test]
    public async Task A_failing_provider_opens_the_circuit_and_later_payments_stay_pending_without_calling_it()
    {
        await using var fake = await FakeGovUkPay.StartAsync();
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Payments:Provider:BaseUrl"] = fake.BaseUrl,
            ["Payments:Provider:ApiKey"] = FakeGovUkPay.ApiKey,
            ["Payments:Provider:RetryDelay"] = "00:00:00.010",
            ["Payments:Provider:CircuitBreakerMinimumThroughput"] = "2",
            ["Payments:Provider:CircuitBreakerBreak"] = "00:01:00",
            ["Payments:Provider:PollInterval"] = "00:00:00",
        }, testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        fake.For(1201).FailCreates = 1000;

        var first = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 1201, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        Assert.That(first["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(first["nextUrl"], Is.Null);
        var callsAfterFirst = fake.Calls.Count;
        Assert.That(callsAfterFirst, Is.GreaterThanOrEqualTo(2));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var second = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 1201, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        Assert.That(second["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(fake.Calls, Has.Count.EqualTo(callsAfterFirst), "the open circuit kept the call from the provider");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "and failed fast");

        // Reading the payment while the circuit is open answers with what we know: still pending.
        var read = await ApiClient.Expect(await advisor.GetAsync($"/api/councils/cheltenham/payments/{second["id"]}"), HttpStatusCode.OK);
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("pending"));
    }
}

/// <summary>Pending card payments nobody asks about are settled by the background sweep.</summary>
public class PendingPaymentSweepTests
{
    [Test]
    public async Task The_sweep_records_the_providers_outcome_without_anyone_asking()
    {
        await using var fake = await FakeGovUkPay.StartAsync();
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Payments:Provider:BaseUrl"] = fake.BaseUrl,
            ["Payments:Provider:ApiKey"] = FakeGovUkPay.ApiKey,
            ["Payments:Provider:PollInterval"] = "00:00:00.100",
        }, testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham", "cotswold");
        var ids = new List<(string Council, string Id)>();
        foreach (var council in new[] { "cheltenham", "cotswold" })
        {
            var started = await ApiClient.Expect(await advisor.PostAsync($"/api/councils/{council}/payments",
                new { fund = "parking", amountPence = 2000, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
            ids.Add((council, started["id"]!.GetValue<string>()));
        }
        fake.Finish(ids[0].Id, "success");
        fake.Finish(ids[1].Id, "cancelled");

        async Task<string> Status(string id)
        {
            await using var admin = await host.Database.OpenAdminAsync();
            await using var cmd = new NpgsqlCommand("select status from payments.payments where id = $1", admin);
            cmd.Parameters.AddWithValue(id);
            return (string)(await cmd.ExecuteScalarAsync())!;
        }
        await Testing.Eventually.Until(async () => await Status(ids[0].Id) == "succeeded" && await Status(ids[1].Id) == "failed",
            because: "the sweep settles both councils' payments");
        var receipt = await ApiClient.Expect(await advisor.GetAsync($"/api/councils/cheltenham/payments/{ids[0].Id}"), HttpStatusCode.OK);
        Assert.That(receipt["receiptNumber"]!.GetValue<string>(), Does.StartWith("CHL-"));

        // A refund the provider holds as submitted: its outcome is recorded without anyone reading the payment.
        await ApiClient.Expect(await advisor.PostAsync($"/api/councils/cheltenham/payments/{ids[0].Id}/refunds",
            new { amountPence = 500, reason = "Overpaid" }), HttpStatusCode.Created);
        async Task<string?> RefundStatus()
        {
            await using var admin = await host.Database.OpenAdminAsync();
            await using var cmd = new NpgsqlCommand("select provider_status from payments.refunds where payment_id = $1", admin);
            cmd.Parameters.AddWithValue(ids[0].Id);
            return await cmd.ExecuteScalarAsync() as string;
        }
        await Testing.Eventually.Until(async () => await RefundStatus() == "submitted", because: "the refund reaches the provider");
        fake.FinishRefunds(ids[0].Id, "success");
        await Testing.Eventually.Until(async () => await RefundStatus() == "success", because: "the sweep records the provider's outcome of the refund");
    }
}

/// <summary>Outside Development, with no provider configured, web and telephone payments are refused with 503 and nothing is written.</summary>
public class UnconfiguredProviderTests
{
    [Test]
    public async Task Web_payments_are_503_when_no_provider_is_configured_in_production()
    {
        await using var host = await HostFixture.StartAsync(environment: "Production", testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        var problem = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 100, channel = "web", idempotencyKey = "k1" }), HttpStatusCode.ServiceUnavailable);
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Payment provider not configured"));
        await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 100, channel = "cash", idempotencyKey = "k2" }), HttpStatusCode.Created);
        await using var admin = await host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from payments.payments", admin);
        Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.EqualTo(1));
    }

    [Test]
    public async Task Local_mode_without_a_provider_simulates_one_whose_payments_succeed()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        var started = await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 100, channel = "web", idempotencyKey = "k1" }), HttpStatusCode.Created);
        Assert.That(started["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        var done = await ApiClient.Expect(await advisor.GetAsync($"/api/councils/cheltenham/payments/{started["id"]}"), HttpStatusCode.OK);
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
    }
}
