using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>The payment screens, server-rendered, through plain HTTP form posts (no JavaScript).</summary>
public partial class PaymentPagesTests
{
    private FakeGovUkPay _fake = null!;
    private PaymentsHostFixture _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fake = await FakeGovUkPay.StartAsync();
        _host = await PaymentsHostFixture.StartAsync(_fake);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private HttpClient As(string name, string role, params string[] councils)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.User(name, role, councils));
        return http;
    }

    private static async Task<string> Page(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK) =>
        // Razor encodes every non-ASCII character (£ is &#xA3;): compare text as a reader sees it.
        WebUtility.HtmlDecode(await PageForms.ReadAsync(response, status));

    private static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"type=\"hidden\" name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    /// <summary>Posts the page's form as a browser would: its hidden fields and antiforgery token, plus the given fields.</summary>
    private static async Task<HttpResponseMessage> Post(HttpClient http, string html, string action, Dictionary<string, string> fields)
    {
        foreach (Match m in Regex.Matches(html, "type=\"hidden\" name=\"([a-zA-Z]+)\" value=\"([^\"]*)\""))
            fields.TryAdd(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(html);
        return await http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private async Task<string> RegisterCustomer(string council)
    {
        var id = Guid.CreateVersion7().ToString();
        var store = _host.Database.CreateEventStore([typeof(CustomerStub).Assembly]);
        await using var session = await store.OpenSessionAsync(council, EventContext.System("test"));
        await session.AppendAsync(CustomerStreams.For(id), 0, [new CustomerStub()], id);
        await session.CommitAsync();
        return id;
    }

    [Test]
    public async Task An_advisor_pays_a_customers_payment_due_gets_a_receipt_and_refunds_part_of_it()
    {
        using var advisor = As("advisor", "advisor", "cheltenham");
        var customer = await RegisterCustomer("cheltenham");
        var requestId = Guid.CreateVersion7();
        await _host.SendAsync("cheltenham", new PaymentRequested(requestId, customer, "garden-waste", 4500, PaymentPurposes.GardenWasteSubscription,
            "sub-1", "GW-2027-000123", "Garden waste 2027, 1 bin", null));
        var newPage = $"/councils/cheltenham/payments/new?customerId={customer}";
        var due = await Eventually.Until(async () => WebUtility.HtmlDecode(await (await advisor.GetAsync(newPage)).Content.ReadAsStringAsync()),
            h => h.Contains("GW-2027-000123", StringComparison.Ordinal), because: "the payment due shows");
        Assert.That(due, Does.Contain("Garden waste 2027, 1 bin").And.Contain("£45.00"));

        // Choosing the payment due fixes fund and amount.
        var form = await Page(await advisor.GetAsync($"{newPage}&paymentRequestId={requestId}"));
        Assert.That(form, Does.Contain("data-testid=\"request-summary\""));
        Assert.That(Hidden(form, "paymentRequestId"), Is.EqualTo(requestId.ToString()));

        // Without a channel, the form comes back with the problem linked to the field.
        var bad = await Post(advisor, form, "/councils/cheltenham/payments/new", new());
        var badHtml = await Page(bad, HttpStatusCode.BadRequest);
        Assert.That(badHtml, Does.Contain("There is a problem").And.Contain("href=\"#channel\""));

        var paid = await Post(advisor, form, "/councils/cheltenham/payments/new", new() { ["channel"] = "cash" });
        var receipt = await Page(paid);
        var receiptUrl = paid.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.That(receiptUrl, Does.Match("^/councils/cheltenham/payments/[0-9a-f-]+$"));
        var number = Regex.Match(receipt, "Receipt (CHL-\\d{6})").Groups[1].Value;
        Assert.That(number, Is.Not.Empty);
        Assert.That(receipt, Does.Contain("Payment taken.").And.Contain("£45.00").And.Contain("Garden waste").And.Contain(">Succeeded<"));
        var answer = await Eventually.Until(() => Task.FromResult(_host.Answers.Paid.FirstOrDefault(p => p.PaymentRequestId == requestId)),
            p => p is not null, because: "the seller hears the request was paid");
        Assert.That(answer!.ReceiptNumber, Is.EqualTo(number));

        // The same form again (a double submit) takes nothing more: same idempotency key, same payment.
        var again = await Post(advisor, form, "/councils/cheltenham/payments/new", new() { ["channel"] = "cash" });
        Assert.That(again.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo(receiptUrl));
        // The payment due is gone from the customer's list.
        Assert.That(await Page(await advisor.GetAsync(newPage)), Does.Contain("This customer has no payments due."));
        // The paid request's own link warns and does not fill the form for a second, ordinary payment.
        var closed = await Page(await advisor.GetAsync($"{newPage}&paymentRequestId={requestId}"));
        Assert.That(closed, Does.Contain("cannot be paid").And.Not.Contain("value=\"45.00\""));

        // A refund larger than the payment is refused on the form; a partial one is recorded and listed.
        var tooMuch = await Post(advisor, receipt, receiptUrl + "?handler=Refund", new() { ["refundAmount"] = "50", ["reason"] = "Too much" });
        Assert.That(await Page(tooMuch, HttpStatusCode.Conflict), Does.Contain("Refunds would exceed the payment"));
        var refunded = await Post(advisor, receipt, receiptUrl + "?handler=Refund", new() { ["refundAmount"] = "5.50", ["reason"] = "Bin not delivered" });
        var afterRefund = await Page(refunded);
        Assert.That(afterRefund, Does.Contain("Refund recorded.").And.Contain("Bin not delivered").And.Contain("data-testid=\"refunded\">£5.50"));
        // The same refund form submitted again refunds nothing more (its key was used).
        var replayed = await Page(await Post(advisor, receipt, receiptUrl + "?handler=Refund", new() { ["refundAmount"] = "5.50", ["reason"] = "Bin not delivered" }));
        Assert.That(replayed, Does.Contain("data-testid=\"refunded\">£5.50"));
        // Through the API: the same key is the same refund (200), the key with another amount a 409.
        var paymentId = receiptUrl.Split('/')[^1];
        var key = Guid.NewGuid().ToString();
        var first = await advisor.PostAsJsonAsync($"/api/councils/cheltenham/payments/{paymentId}/refunds", new { amountPence = 100, reason = "Goodwill", idempotencyKey = key });
        var second = await advisor.PostAsJsonAsync($"/api/councils/cheltenham/payments/{paymentId}/refunds", new { amountPence = 100, reason = "Goodwill", idempotencyKey = key });
        var other = await advisor.PostAsJsonAsync($"/api/councils/cheltenham/payments/{paymentId}/refunds", new { amountPence = 200, reason = "Goodwill", idempotencyKey = key });
        Assert.That((first.StatusCode, second.StatusCode, other.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict)));
        Assert.That((await ApiClient.Json(second))["id"]!.GetValue<string>(), Is.EqualTo((await ApiClient.Json(first))["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task An_amount_that_is_not_money_is_shown_on_the_form_and_nothing_is_taken()
    {
        using var advisor = As("advisor", "advisor", "cheltenham");
        var form = await Page(await advisor.GetAsync("/councils/cheltenham/payments/new"));
        var bad = await Post(advisor, form, "/councils/cheltenham/payments/new",
            new() { ["fund"] = "parking", ["amount"] = "ten pounds", ["channel"] = "cash" });
        var html = await Page(bad, HttpStatusCode.BadRequest);
        Assert.That(html, Does.Contain("href=\"#amount\"").And.Contain("Enter the amount in pounds and pence"));
        Assert.That(html, Does.Contain("<title>Error: Take a payment"));
        var ok = await Post(advisor, form, "/councils/cheltenham/payments/new", new() { ["fund"] = "parking", ["amount"] = "£12.30", ["channel"] = "cheque" });
        Assert.That(await Page(ok), Does.Contain("£12.30").And.Contain("Cheque"));
    }

    [Test]
    public async Task The_cash_up_shows_totals_and_cashiers_takes_a_declaration_and_closes_the_day()
    {
        using var advisor = As("cashier.fod", "advisor", "forest-of-dean");
        var api = new ApiClient(advisor, "cashier.fod");
        await ApiClient.Expect(await api.PostAsync("/api/councils/forest-of-dean/payments",
            new { fund = "bulky-waste", amountPence = 2000, channel = "cash", idempotencyKey = Keys.New() }), HttpStatusCode.Created);

        // The navigation's /payments/cash-up is the served council's cash-up.
        var cashUp = await advisor.GetAsync("/payments/cash-up");
        var html = await Page(cashUp);
        Assert.That(cashUp.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo("/councils/forest-of-dean/payments/cash-up"));
        Assert.That(html, Does.Contain("data-testid=\"net\">£20.00").And.Contain("cashier.fod").And.Contain("Not declared"));

        var declared = await Post(advisor, html, "/councils/forest-of-dean/payments/cash-up?handler=Declare",
            new() { ["cashier"] = "cashier.fod", ["declared"] = "19.50" });
        var afterDeclare = await Page(declared);
        Assert.That(afterDeclare, Does.Contain("Cash declared.").And.Contain("Short £0.50"));
        // The declare form sent twice (its submission key) declares once.
        var (once, twice) = await PageForms.PostTwiceAsync(advisor, afterDeclare, "/councils/forest-of-dean/payments/cash-up?handler=Declare",
            new() { ["cashier"] = "cashier.fod", ["declared"] = "20.00" }, "handler=Declare");
        await Page(once);
        afterDeclare = await Page(twice);
        Assert.That(afterDeclare, Does.Contain("data-testid=\"replayed\""));
        Assert.That(await Recorded.EventsWithAsync(_host.Database, "forest-of-dean", "payments.cash-declared", "cashier", "cashier.fod"), Is.EqualTo(2));

        var badDate = await Page(await advisor.GetAsync("/councils/forest-of-dean/payments/cash-up?date=soon"), HttpStatusCode.BadRequest);
        Assert.That(badDate, Does.Contain("There is a problem"));

        var closed = await Post(advisor, afterDeclare, "/councils/forest-of-dean/payments/cash-up?handler=Close", new());
        var afterClose = await Page(closed);
        Assert.That(afterClose, Does.Contain("The day is closed.").And.Contain("data-testid=\"day-status\">Closed"));
        Assert.That(afterClose, Does.Not.Contain("handler=Close"), "a closed day offers no more forms");
    }

    [Test]
    public async Task Councils_the_user_does_not_serve_are_403_and_read_only_roles_cannot_take_or_refund()
    {
        using var advisor = As("advisor", "advisor", "cheltenham");
        using var auditor = As("auditor", "auditor", "cheltenham");
        Assert.That((await advisor.GetAsync("/councils/cotswold/payments/new")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await advisor.GetAsync("/councils/cotswold/payments/cash-up")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await auditor.GetAsync("/councils/cheltenham/payments/new")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var api = new ApiClient(advisor, "advisor");
        var id = (await ApiClient.Expect(await api.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "general", amountPence = 700, channel = "cash", idempotencyKey = Keys.New() }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        Assert.That((await advisor.GetAsync($"/councils/cotswold/payments/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var read = await Page(await auditor.GetAsync($"/councils/cheltenham/payments/{id}"));
        Assert.That(read, Does.Contain("£7.00").And.Not.Contain("Refund this payment"), "auditors read receipts but do not refund");
        using var cotswoldAdvisor = As("advisor.cot", "advisor", "cotswold", "cheltenham");
        Assert.That((await cotswoldAdvisor.GetAsync($"/councils/cotswold/payments/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "another council's payment does not exist there");
    }

    [Test]
    public async Task A_web_payment_from_the_form_is_pending_with_a_link_to_the_providers_page_and_its_receipt_follows_success()
    {
        using var advisor = As("advisor", "advisor", "cheltenham");
        var form = await Page(await advisor.GetAsync("/councils/cheltenham/payments/new"));
        var started = await Post(advisor, form, "/councils/cheltenham/payments/new", new() { ["fund"] = "parking", ["amount"] = "31.01", ["channel"] = "telephone" });
        var html = await Page(started);
        Assert.That(html, Does.Contain("Card payment started.").And.Contain("Continue to the card payment page").And.Contain(_fake.BaseUrl + "/secure/"));
        var receiptUrl = started.RequestMessage!.RequestUri!.AbsolutePath;
        _fake.Finish(receiptUrl.Split('/')[^1], "success");
        var done = await Page(await advisor.GetAsync(receiptUrl));
        Assert.That(done, Does.Match("Receipt CHL-\\d{6}").And.Contain(">Succeeded<"));
    }
}
