using System.Net;
using System.Text.Json.Nodes;
using CustomerAccess.Contracts;
using CustomerAccess.Payments;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>The contract's payment routes, end to end through HTTP on a real database (cash-type channels).</summary>
public class PaymentApiTests
{
    private HostFixture _host = null!;
    private ApiClient _advisor = null!;
    private ApiClient _auditor = null!;
    private ApiClient _cotswoldAdvisor = null!;
    private const string Base = "/api/councils/cheltenham";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await HostFixture.StartAsync(testAuth: true);
        _advisor = ApiClient.As(_host, "advisor", "advisor", "cheltenham", "cotswold", "forest-of-dean", "west-oxfordshire");
        _auditor = ApiClient.As(_host, "auditor", "auditor", "cheltenham");
        _cotswoldAdvisor = ApiClient.As(_host, "advisor.cotswold", "advisor", "cotswold");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _auditor.Dispose();
        _cotswoldAdvisor.Dispose();
        await _host.DisposeAsync();
    }

    private static string Key() => Keys.New();

    private async Task<long> Count(string sql)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<JsonNode> Pay(string council, object body, HttpStatusCode expected = HttpStatusCode.Created, ApiClient? as_ = null) =>
        await ApiClient.Expect(await (as_ ?? _advisor).PostAsync($"/api/councils/{council}/payments", body), expected);

    /// <summary>
    /// A customer of one council, as Payments knows customers: a "customer-{id}" stream that exists
    /// there (contracts' CustomerStreams). Written straight to the store so these tests do not depend
    /// on the Customer module's own routes.
    /// </summary>
    private async Task<string> RegisterCustomer(string council = "cheltenham")
    {
        var id = Guid.CreateVersion7().ToString();
        var store = _host.Database.CreateEventStore([typeof(CustomerStub).Assembly]);
        await using var session = await store.OpenSessionAsync(council, Platform.EventStore.EventContext.System("test"));
        await session.AppendAsync(CustomerStreams.For(id), 0, [new CustomerStub()], id);
        await session.CommitAsync();
        return id;
    }

    [Test]
    public async Task A_cash_payment_gets_a_receipt_and_reads_back()
    {
        var response = await _advisor.PostAsync($"{Base}/payments", new { fund = "garden-waste", amountPence = 2500, channel = "cash", idempotencyKey = Key() });
        var body = await ApiClient.Expect(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Contains("X-Event-Position"), Is.True);
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(body["receiptNumber"]!.GetValue<string>(), Does.Match(@"^CHL-\d{6}$"));
        var id = body["id"]!.GetValue<string>();
        var read = await ApiClient.Expect(await _auditor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(read["amountPence"]!.GetValue<long>(), Is.EqualTo(2500));
            Assert.That(read["fund"]!.GetValue<string>(), Is.EqualTo("garden-waste"));
            Assert.That(read["refunds"]!.AsArray(), Is.Empty);
            Assert.That(read["takenBy"]!.GetValue<string>(), Is.EqualTo("advisor"));
        });
    }

    [Test]
    public async Task A_council_that_joins_later_gets_a_receipt_prefix_no_other_council_uses()
    {
        // "cot-…" starts like Cotswold: the first-three-letters rule gave it COT, so two councils issued COT-000001.
        using var admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        var joined = await ApiClient.Expect(await admin.PostAsync("/api/councils",
            new { id = "cot-vale", name = "Cot Vale District Council", contactNumber = "01234 567890" }), HttpStatusCode.Created);
        var prefix = joined["receiptPrefix"]!.GetValue<string>();
        Assert.That(prefix, Is.Not.EqualTo("COT").And.Not.AnyOf("CHL", "FOD", "WOX").And.Match("^[A-Z0-9]{2,5}$"));

        using var advisor = ApiClient.As(_host, "advisor.cot-vale", "advisor", "cot-vale");
        var first = await Pay("cot-vale", new { fund = "general", amountPence = 500, channel = "cash", idempotencyKey = Key() }, as_: advisor);
        var second = await Pay("cot-vale", new { fund = "general", amountPence = 700, channel = "cash", idempotencyKey = Key() }, as_: advisor);
        Assert.That(first["receiptNumber"]!.GetValue<string>(), Is.EqualTo(prefix + "-000001"));
        Assert.That(second["receiptNumber"]!.GetValue<string>(), Is.EqualTo(prefix + "-000002"));
        var cotswold = await Pay("cotswold", new { fund = "general", amountPence = 300, channel = "cash", idempotencyKey = Key() });
        Assert.That(cotswold["receiptNumber"]!.GetValue<string>(), Does.StartWith("COT-"));

        var council = await ApiClient.Expect(await admin.GetAsync("/api/councils/cot-vale"), HttpStatusCode.OK);
        Assert.That(council["receiptPrefix"]!.GetValue<string>(), Is.EqualTo(prefix));
    }

    [Test]
    public async Task A_council_may_ask_for_its_receipt_prefix_but_not_one_in_use()
    {
        using var admin = ApiClient.As(_host, "admin", "partnership-admin", "*");
        var taken = await admin.PostAsync("/api/councils", new { id = "north-cots", name = "North Cots", contactNumber = "01234 567891", receiptPrefix = "cot" });
        var problem = await ApiClient.Expect(taken, HttpStatusCode.Conflict);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("COT"));
        var bad = await ApiClient.Expect(await admin.PostAsync("/api/councils",
            new { id = "north-cots", name = "North Cots", contactNumber = "01234 567891", receiptPrefix = "N-C" }), HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!["receiptPrefix"], Is.Not.Null);
        Assert.That((await admin.GetAsync("/api/councils/north-cots")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a refused onboarding records nothing");

        var joined = await ApiClient.Expect(await admin.PostAsync("/api/councils",
            new { id = "north-cots", name = "North Cots", contactNumber = "01234 567891", receiptPrefix = "ncx" }), HttpStatusCode.Created);
        Assert.That(joined["receiptPrefix"]!.GetValue<string>(), Is.EqualTo("NCX"));
        using var advisor = ApiClient.As(_host, "advisor.north-cots", "advisor", "north-cots");
        var paid = await Pay("north-cots", new { fund = "general", amountPence = 500, channel = "cash", idempotencyKey = Key() }, as_: advisor);
        Assert.That(paid["receiptNumber"]!.GetValue<string>(), Is.EqualTo("NCX-000001"));
    }

    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":100,\"channel\":\"cash\"}", "idempotencyKey")]
    [TestCase("{\"fund\":\"no-such-fund\",\"amountPence\":100,\"channel\":\"cash\",\"idempotencyKey\":\"k-fund\"}", "fund")]
    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":0,\"channel\":\"cash\",\"idempotencyKey\":\"k-zero\"}", "amountPence")]
    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":-5,\"channel\":\"cash\",\"idempotencyKey\":\"k-neg\"}", "amountPence")]
    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":1000000000,\"channel\":\"cash\",\"idempotencyKey\":\"k-huge\"}", "amountPence")]
    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":100,\"channel\":\"bitcoin\",\"idempotencyKey\":\"k-chan\"}", "channel")]
    [TestCase("{\"fund\":\"garden-waste\",\"amountPence\":100,\"channel\":\"cash\",\"customerId\":\"nobody\",\"idempotencyKey\":\"k-cust\"}", "customerId")]
    public async Task Bad_payments_are_a_400_naming_the_field_and_write_nothing(string json, string field)
    {
        var before = await Count("select count(*) from payments.payments") + await Count("select count(*) from payments.idempotency");
        var response = await _advisor.Http.PostAsync($"{Base}/payments", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        Assert.That(await Count("select count(*) from payments.payments") + await Count("select count(*) from payments.idempotency"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_customer_of_another_council_is_not_a_customer_here()
    {
        var customer = await RegisterCustomer();
        var problem = await Pay("cotswold", new { customerId = customer, fund = "general", amountPence = 100, channel = "cash", idempotencyKey = Key() },
            HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["customerId"], Is.Not.Null);
    }

    [Test]
    public async Task The_same_key_and_body_is_the_same_payment_with_200_and_a_different_body_is_409()
    {
        var key = Key();
        var first = await Pay("cheltenham", new { fund = "parking", amountPence = 1234, channel = "cheque", reference = "PCN AB12345678", idempotencyKey = key });
        // Same request, fields in another order: still the same canonical request.
        var again = await _advisor.Http.PostAsync($"{Base}/payments", new StringContent(
            $"{{\"idempotencyKey\":\"{key}\",\"channel\":\"cheque\",\"reference\":\"PCN AB12345678\",\"amountPence\":1234,\"fund\":\"parking\"}}",
            System.Text.Encoding.UTF8, "application/json"));
        var replay = await ApiClient.Expect(again, HttpStatusCode.OK);
        Assert.That(replay["id"]!.GetValue<string>(), Is.EqualTo(first["id"]!.GetValue<string>()));
        Assert.That(replay["receiptNumber"]!.GetValue<string>(), Is.EqualTo(first["receiptNumber"]!.GetValue<string>()));

        await Pay("cheltenham", new { fund = "parking", amountPence = 1235, channel = "cheque", reference = "PCN AB12345678", idempotencyKey = key },
            HttpStatusCode.Conflict);
        Assert.That(await Count($"select count(*) from payments.payments where reference = 'PCN AB12345678'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Identical_requests_racing_make_one_payment()
    {
        var key = Key();
        var body = new { fund = "bulky-waste", amountPence = 3700, channel = "card-present", idempotencyKey = key };
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _advisor.PostAsync($"{Base}/payments", body)));
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.That(codes.Count(c => c == HttpStatusCode.Created), Is.EqualTo(1), string.Join(",", codes));
        Assert.That(codes.Count(c => c == HttpStatusCode.OK), Is.EqualTo(7), string.Join(",", codes));
        var ids = new HashSet<string>();
        foreach (var r in responses) ids.Add((await ApiClient.Json(r))["id"]!.GetValue<string>());
        Assert.That(ids, Has.Count.EqualTo(1));
        Assert.That(await Count($"select count(*) from es.events where stream_id = 'payment-{ids.Single()}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Sixteen_concurrent_writers_get_consecutive_receipts_without_gaps_or_duplicates()
    {
        // Cotswold is this test's own council in this fixture, so its receipts are all here.
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            _cotswoldAdvisor.PostAsync("/api/councils/cotswold/payments", new { fund = "general", amountPence = 100 + i, channel = "cash", idempotencyKey = Key() })));
        var receipts = new List<string>();
        foreach (var r in responses) receipts.Add((await ApiClient.Expect(r, HttpStatusCode.Created))["receiptNumber"]!.GetValue<string>());
        Assert.That(receipts, Is.Unique);
        Assert.That(receipts, Has.All.Match(@"^COT-\d{6}$"));
        var numbers = receipts.Select(r => int.Parse(r[4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(numbers[0], 16).ToList()), "consecutive: no gaps");
        Assert.That(await Count("select count(*) from payments.payments where tenant_id = 'cotswold'"), Is.EqualTo(await Count(
            "select next - 1 from payments.receipt_counters where tenant_id = 'cotswold'")), "every number issued belongs to a payment");
    }

    [Test]
    public async Task Concurrent_refunds_never_exceed_what_was_paid()
    {
        var payment = await Pay("cheltenham", new { fund = "general", amountPence = 1000, channel = "cash", idempotencyKey = Key() });
        var id = payment["id"]!.GetValue<string>();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 300, reason = "Service not provided" })));
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.That(codes.Count(c => c == HttpStatusCode.Created), Is.EqualTo(3), string.Join(",", codes));
        Assert.That(codes.Count(c => c == HttpStatusCode.Conflict), Is.EqualTo(7), string.Join(",", codes));
        var read = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.OK);
        Assert.That(read["refundedPence"]!.GetValue<long>(), Is.EqualTo(900));
        Assert.That(read["refunds"]!.AsArray(), Has.Count.EqualTo(3));
        var tooMuch = await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 101, reason = "x" }), HttpStatusCode.Conflict);
        Assert.That(tooMuch["refundablePence"]!.GetValue<long>(), Is.EqualTo(100));
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 100, reason = "Rest" }), HttpStatusCode.Created);
    }

    [Test]
    public async Task Payments_are_404_from_another_council_and_need_the_payments_role_to_take()
    {
        var payment = await Pay("cheltenham", new { fund = "general", amountPence = 500, channel = "cash", idempotencyKey = Key() });
        var id = payment["id"]!.GetValue<string>();
        await ApiClient.Expect(await _advisor.GetAsync($"/api/councils/cotswold/payments/{id}"), HttpStatusCode.NotFound);
        await ApiClient.Expect(await _cotswoldAdvisor.GetAsync($"{Base}/payments/{id}"), HttpStatusCode.Forbidden);
        await ApiClient.Expect(await _advisor.PostAsync($"/api/councils/cotswold/payments/{id}/refunds", new { amountPence = 1, reason = "x" }), HttpStatusCode.NotFound);
        await Pay("cheltenham", new { fund = "general", amountPence = 500, channel = "cash", idempotencyKey = Key() }, HttpStatusCode.Forbidden, _auditor);
        await ApiClient.Expect(await _auditor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 1, reason = "x" }), HttpStatusCode.Forbidden);
        await ApiClient.Expect(await _auditor.GetAsync($"{Base}/payments/cash-up"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_customers_payments_list_newest_first_with_a_cursor()
    {
        var customer = await RegisterCustomer();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await Pay("cheltenham", new { customerId = customer, fund = "council-tax", amountPence = 1000 + i, channel = "cash", idempotencyKey = Key() }))["id"]!.GetValue<string>());
        var page1 = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments?customerId={customer}&limit=2"), HttpStatusCode.OK);
        Assert.That(page1["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { ids[2], ids[1] }));
        var next = page1["next"]!.GetValue<string>();
        var page2 = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments?customerId={customer}&limit=2&cursor={next}"), HttpStatusCode.OK);
        Assert.That(page2["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { ids[0] }));
        Assert.That(page2["next"], Is.Null);
    }

    [Test]
    public async Task The_funds_list_marks_housing_rent_as_taken_on_behalf_of_the_housing_company()
    {
        var funds = await ApiClient.Expect(await _advisor.GetAsync($"{Base}/payments/funds"), HttpStatusCode.OK);
        var rent = funds["items"]!.AsArray().Single(f => f!["code"]!.GetValue<string>() == "housing-rent")!;
        Assert.That(rent["onBehalfOf"]!.GetValue<string>(), Is.EqualTo("Cheltenham Borough Homes"));
        Assert.That(funds["items"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()),
            Is.SupersetOf(new[] { "garden-waste", "bulky-waste", "council-tax", "parking", "housing-rent", "general" }));
    }

    [Test]
    public async Task The_cash_up_totals_payments_less_refunds_by_channel_and_fund_and_compares_declared_cash()
    {
        // Forest of Dean is this test's own council in this fixture.
        const string fod = "/api/councils/forest-of-dean";
        var cashier2 = ApiClient.As(_host, "cashier2", "advisor", "forest-of-dean");
        await Pay("forest-of-dean", new { fund = "garden-waste", amountPence = 4500, channel = "cash", idempotencyKey = Key() });
        var toRefund = await Pay("forest-of-dean", new { fund = "garden-waste", amountPence = 2000, channel = "cash", idempotencyKey = Key() });
        await Pay("forest-of-dean", new { fund = "council-tax", amountPence = 10000, channel = "cheque", idempotencyKey = Key() });
        await Pay("forest-of-dean", new { fund = "parking", amountPence = 700, channel = "cash", idempotencyKey = Key() }, as_: cashier2);
        await ApiClient.Expect(await _advisor.PostAsync($"{fod}/payments/{toRefund["id"]}/refunds", new { amountPence = 500, reason = "Overpaid" }), HttpStatusCode.Created);

        var cashUp = await ApiClient.Expect(await _advisor.GetAsync($"{fod}/payments/cash-up"), HttpStatusCode.OK);
        var date = cashUp["date"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(cashUp["status"]!.GetValue<string>(), Is.EqualTo("open"));
            Assert.That(cashUp["payments"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(cashUp["paymentsPence"]!.GetValue<long>(), Is.EqualTo(17200));
            Assert.That(cashUp["refundsPence"]!.GetValue<long>(), Is.EqualTo(500));
            Assert.That(cashUp["netPence"]!.GetValue<long>(), Is.EqualTo(16700));
            var cash = cashUp["byChannel"]!.AsArray().Single(l => l!["key"]!.GetValue<string>() == "cash")!;
            Assert.That(cash["payments"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(cash["netPence"]!.GetValue<long>(), Is.EqualTo(6700));
            var garden = cashUp["byFund"]!.AsArray().Single(l => l!["key"]!.GetValue<string>() == "garden-waste")!;
            Assert.That(garden["paymentsPence"]!.GetValue<long>(), Is.EqualTo(6500));
            Assert.That(garden["refunds"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(garden["netPence"]!.GetValue<long>(), Is.EqualTo(6000));
        });

        var declared = await ApiClient.Expect(await _advisor.PostAsync($"{fod}/payments/cash-up/{date}/declarations",
            new { cashier = "advisor", declaredPence = 5990 }), HttpStatusCode.Created);
        Assert.That(declared["expectedPence"]!.GetValue<long>(), Is.EqualTo(6000));
        Assert.That(declared["differencePence"]!.GetValue<long>(), Is.EqualTo(-10));
        cashUp = await ApiClient.Expect(await _advisor.GetAsync($"{fod}/payments/cash-up?date={date}"), HttpStatusCode.OK);
        var cashiers = cashUp["cash"]!.AsArray();
        Assert.That(cashiers.Single(c => c!["name"]!.GetValue<string>() == "cashier2")!["expectedPence"]!.GetValue<long>(), Is.EqualTo(700));
        Assert.That(cashiers.Single(c => c!["name"]!.GetValue<string>() == "cashier2")!["declaredPence"], Is.Null);
        Assert.That(cashiers.Single(c => c!["name"]!.GetValue<string>() == "advisor")!["differencePence"]!.GetValue<long>(), Is.EqualTo(-10));
        cashier2.Dispose();
    }

    [Test]
    public async Task A_closed_day_cannot_change()
    {
        // West Oxfordshire is this test's own council in this fixture: closing today there stops its payments.
        const string wox = "/api/councils/west-oxfordshire";
        var payment = await Pay("west-oxfordshire", new { fund = "general", amountPence = 1500, channel = "cash", idempotencyKey = Key() });
        var date = (await ApiClient.Expect(await _advisor.GetAsync($"{wox}/payments/cash-up"), HttpStatusCode.OK))["date"]!.GetValue<string>();
        var closeResponse = await _advisor.PostAsync($"{wox}/payments/cash-up/{date}/close", new { });
        var closed = await ApiClient.Expect(closeResponse, HttpStatusCode.OK);
        Assert.That(closeResponse.Headers.Contains("X-Event-Position"), Is.True);
        Assert.That(closed["status"]!.GetValue<string>(), Is.EqualTo("closed"));
        Assert.That(closed["netPence"]!.GetValue<long>(), Is.EqualTo(1500));

        var before = await Count("select count(*) from payments.payments where tenant_id = 'west-oxfordshire'");
        await Pay("west-oxfordshire", new { fund = "general", amountPence = 200, channel = "cash", idempotencyKey = Key() }, HttpStatusCode.Conflict);
        await ApiClient.Expect(await _advisor.PostAsync($"{wox}/payments/{payment["id"]}/refunds", new { amountPence = 100, reason = "x" }), HttpStatusCode.Conflict);
        await ApiClient.Expect(await _advisor.PostAsync($"{wox}/payments/cash-up/{date}/declarations", new { cashier = "advisor", declaredPence = 1 }), HttpStatusCode.Conflict);
        await ApiClient.Expect(await _advisor.PostAsync($"{wox}/payments/cash-up/{date}/close", new { }), HttpStatusCode.Conflict);
        Assert.That(await Count("select count(*) from payments.payments where tenant_id = 'west-oxfordshire'"), Is.EqualTo(before));
        Assert.That(await Count("select count(*) from payments.idempotency where tenant_id = 'west-oxfordshire'"), Is.EqualTo(before), "a refused payment leaves no key");
        await ApiClient.Expect(await _advisor.PostAsync($"{wox}/payments/cash-up/2999-01-01/close", new { }), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Payment_events_are_timeline_ready_without_personal_data()
    {
        var customer = await RegisterCustomer();
        var payment = await Pay("cheltenham", new { customerId = customer, fund = "garden-waste", amountPence = 2500, channel = "cash",
            reference = "GW-SECRET-REF-77", idempotencyKey = Key() });
        var id = payment["id"]!.GetValue<string>();
        var receipt = payment["receiptNumber"]!.GetValue<string>();
        await ApiClient.Expect(await _advisor.PostAsync($"{Base}/payments/{id}/refunds", new { amountPence = 500, reason = "Philippa moved house" }), HttpStatusCode.Created);

        var store = _host.Database.CreateEventStore([typeof(PaymentsModule).Assembly]);
        await using var session = await store.OpenSessionAsync("cheltenham", Platform.EventStore.EventContext.System());
        var events = await session.ReadStreamAsync("payment-" + id);
        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "payments.payment-taken", "payments.refund-issued" }));
        foreach (var e in events)
        {
            Assert.That(e.Metadata.CustomerId, Is.EqualTo(customer));
            var entry = e.Data as ITimelineEntry;
            Assert.That(entry, Is.Not.Null, e.EventType + " should read on the timeline");
            Assert.That(entry!.TimelineModule, Is.EqualTo("payments"));
            Assert.That(entry.TimelineReference, Is.EqualTo(receipt));
            Assert.That(entry.TimelineSummary, Does.Not.Contain("GW-SECRET-REF-77").And.Not.Contain("Philippa"));
        }
        Assert.That(events[0].Metadata.Channel, Is.EqualTo("cash"));
        Assert.That(((ITimelineEntry)events[0].Data).TimelineSummary, Is.EqualTo($"Payment £25.00 to garden waste in cash (receipt {receipt})"));
        Assert.That(((ITimelineEntry)events[1].Data).TimelineSummary, Is.EqualTo($"Refund £5.00 of payment {receipt}"));
    }
}

/// <summary>Stands in for the Customer module's first event on a customer's stream.</summary>
[Platform.EventStore.EventType("test.customer-stub")]
internal sealed record CustomerStub;
