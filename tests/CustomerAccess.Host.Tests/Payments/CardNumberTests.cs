using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>A card number (PAN) typed into a payment is refused, and leaves no trace in the database or the logs.</summary>
public class CardNumberTests
{
    private const string Pan = "4111 1111 1111 1111";
    private const string PanDigits = "4111111111111111";

    [Test]
    public async Task A_card_number_in_the_reference_is_a_400_and_is_neither_stored_nor_logged()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        var logs = new LogCapture();
        await using var logged = logs.Attach(host);
        using var http = logged.CreateClient();
        http.DefaultRequestHeaders.Add(Testing.TestAuthHandler.Header, Testing.TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        using var advisor = new ApiClient(http, "advisor");

        // Something real first, so the scans below look at non-empty tables.
        await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "council-tax", amountPence = 1000, channel = "cash", reference = "CT 12345678", idempotencyKey = "k-ok" }), HttpStatusCode.Created);
        var before = await Counts(host);

        foreach (var (reference, channel) in new[] { (Pan, "cash"), (PanDigits, "telephone"), ("card 4111-1111-1111-1111 exp 12/29", "web") })
        {
            var response = await advisor.PostAsync("/api/councils/cheltenham/payments",
                new { fund = "council-tax", amountPence = 1000, channel, reference, idempotencyKey = Keys.New() });
            var problem = await ApiClient.Expect(response, HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!["reference"], Is.Not.Null, problem.ToJsonString());
            problem.AsObject().Remove("traceId"); // random hex, which may hold "4111" by chance
            Assert.That(problem.ToJsonString(), Does.Not.Contain("4111"));
        }
        var refund = await advisor.PostAsync("/api/councils/cheltenham/payments/x/refunds", new { amountPence = 1, reason = "card was " + PanDigits });
        await ApiClient.Expect(refund, HttpStatusCode.BadRequest);

        Assert.That(await Counts(host), Is.EqualTo(before), "nothing written");
        await using var admin = await host.Database.OpenAdminAsync();
        foreach (var table in new[] { "es.events", "payments.payments", "payments.refunds", "payments.idempotency", "payments.declarations" })
        {
            await using var cmd = new NpgsqlCommand(
                $"select count(*) from {table} t where regexp_replace(t::text, '[^0-9]', '', 'g') like '%' || $1 || '%'", admin);
            cmd.Parameters.AddWithValue(PanDigits);
            Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero, $"the card number is in {table}");
        }
        Assert.That(logs.Lines, Is.Not.Empty, "the capture saw the host's logs");
        Assert.That(logs.All.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), Does.Not.Contain(PanDigits));
    }

    /// <summary>
    /// Every way round the guard the audit found (and its neighbours): escapes, a body too long to
    /// scan, headers, the path, the query, other separators, forms, charsets. Each is refused (413
    /// for the over-long body), the problem never carries the number, and nothing is stored or logged.
    /// </summary>
    [Test]
    public async Task A_card_number_hidden_by_escapes_length_headers_path_or_separators_is_refused_and_leaves_no_trace()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        var logs = new LogCapture();
        await using var logged = logs.Attach(host);
        using var http = logged.CreateClient();
        http.DefaultRequestHeaders.Add(Testing.TestAuthHandler.Header, Testing.TestAuthHandler.User("advisor", "advisor", "cheltenham"));
        const string payments = "/api/councils/cheltenham/payments";
        await ApiClient.Expect(await http.PostAsync(payments, Json(Payment("\"CT 12345678\""))), HttpStatusCode.Created);
        var before = await Counts(host);
        var padding = new string('x', 1 << 20);

        var cases = new (string What, Func<HttpRequestMessage> Request, HttpStatusCode Status, string? Field)[]
        {
            ("JSON unicode escape", () => Post(payments, Json(Payment("\"\\u0034111111111111111\""))), HttpStatusCode.BadRequest, "reference"),
            ("every digit escaped", () => Post(payments, Json(Payment("\"" + string.Concat(PanDigits.Select(c => $"\\u{(int)c:x4}")) + "\""))), HttpStatusCode.BadRequest, "reference"),
            ("after the first MiB", () => Post(payments, Json(Payment("\"5555555555554444\"", $"\"pad\":\"{padding}\","))), HttpStatusCode.RequestEntityTooLarge, null),
            ("after the first MiB, no Content-Length", () => Post(payments, Chunked(Payment("\"5555555555554444\"", $"\"pad\":\"{padding}\","))), HttpStatusCode.RequestEntityTooLarge, null),
            ("a request header", () => With(Post(payments, Json(Payment("\"CT 1\""))), "X-Note", PanDigits), HttpStatusCode.BadRequest, "X-Note"),
            ("a header's name", () => With(Post(payments, Json(Payment("\"CT 1\""))), "X-" + PanDigits, "yes"), HttpStatusCode.BadRequest, "headers"),
            ("a path segment", () => Post($"{payments}/{PanDigits}/refunds", Json("{\"amountPence\":1,\"reason\":\"x\"}")), HttpStatusCode.BadRequest, "path"),
            ("a path segment with encoded slashes", () => Post($"{payments}/4111%2F1111%2F1111%2F1111/refunds", Json("{\"amountPence\":1,\"reason\":\"x\"}")), HttpStatusCode.BadRequest, "path"),
            ("a query name", () => Post($"{payments}?{PanDigits}=1", Json(Payment("\"CT 1\""))), HttpStatusCode.BadRequest, "query"),
            ("dots", () => Post(payments, Json(Payment("\"4111.1111.1111.1111\""))), HttpStatusCode.BadRequest, "reference"),
            ("slashes", () => Post(payments, Json(Payment("\"4111/1111/1111/1111\""))), HttpStatusCode.BadRequest, "reference"),
            ("Amex grouping with dots", () => Post(payments, Json(Payment("\"3782.822463.10005\""))), HttpStatusCode.BadRequest, "reference"),
            ("fullwidth digits", () => Post(payments, Json(Payment("\"\uFF14\uFF11\uFF11\uFF11 1111 1111 1111\""))), HttpStatusCode.BadRequest, "reference"),
            ("a number in exponent form", () => Post(payments, Json(Payment("4.111111111111111e15"))), HttpStatusCode.BadRequest, "reference"),
            ("a property name", () => Post(payments, Json(Payment("\"CT 1\"", $"\"{PanDigits}\":{{\"a\":\"b\"}},"))), HttpStatusCode.BadRequest, "body"),
            ("UTF-16 JSON", () => Post(payments, new StringContent(Payment("\"4111 1111 1111 1111\""), Encoding.Unicode, "application/json")), HttpStatusCode.BadRequest, "reference"),
            ("JSON sent as text/csv", () => Post(payments, new StringContent(Payment($"\"{PanDigits}\""), Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest, "reference"),
            ("a percent-encoded form field", () => Post("/councils/cheltenham/payments/new", new StringContent("Reference=%34111%2E1111%2E1111%2E1111&AmountPence=500", Encoding.ASCII, "application/x-www-form-urlencoded")), HttpStatusCode.BadRequest, "Reference"),
            ("a multipart form field", () => Post("/open311/v2/cheltenham/requests.json", new MultipartFormDataContent { { new StringContent("bin not emptied, card " + PanDigits), "description" }, { new StringContent("local-open311-key"), "api_key" } }), HttpStatusCode.BadRequest, "description"),
        };
        foreach (var (what, request, status, field) in cases)
        {
            using var response = await http.SendAsync(request());
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(status), $"{what}: {text}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), what);
            foreach (var pan in PansUsed) Assert.That(DigitsOf(text), Does.Not.Contain(pan), $"{what}: the problem echoes the number");
            if (field is not null)
                Assert.That(System.Text.Json.Nodes.JsonNode.Parse(text)!["errors"]?[field], Is.Not.Null, $"{what}: {text}");
        }

        Assert.That(await Counts(host), Is.EqualTo(before), "nothing written");
        await using var admin = await host.Database.OpenAdminAsync();
        foreach (var table in new[] { "es.events", "payments.payments", "payments.refunds", "payments.idempotency", "payments.declarations" })
            foreach (var pan in PansUsed)
            {
                await using var cmd = new NpgsqlCommand(
                    $"select count(*) from {table} t where regexp_replace(t::text, '[^0-9]', '', 'g') like '%' || $1 || '%'", admin);
                cmd.Parameters.AddWithValue(pan);
                Assert.That((long)(await cmd.ExecuteScalarAsync())!, Is.Zero, $"a card number is in {table}");
            }
        Assert.That(logs.Lines, Is.Not.Empty, "the capture saw the host's logs");
        foreach (var pan in PansUsed) Assert.That(logs.Lines.Where(l => DigitsOf(l).Contains(pan, StringComparison.Ordinal)), Is.Empty, "a card number was logged");

        static HttpRequestMessage Post(string url, HttpContent content) => new(HttpMethod.Post, url) { Content = content };
        static HttpRequestMessage With(HttpRequestMessage request, string header, string value)
        {
            request.Headers.TryAddWithoutValidation(header, value);
            return request;
        }
        static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
        static StreamContent Chunked(string json)
        {
            // No length up front: the guard has to stop reading by itself.
            var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }
    }

    /// <summary>Machine-made ids in headers (trace ids, other sites' cookies) that hold Luhn-valid digit runs are not card numbers.</summary>
    [Test]
    public async Task Trace_ids_and_cookies_in_headers_are_not_taken_for_card_numbers()
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        using var advisor = ApiClient.As(host, "advisor", "advisor", "cheltenham");
        // Each holds a Luhn-valid run: 1-67891233-012344, 1234567890123451-01, 1700000000004.
        advisor.Http.DefaultRequestHeaders.TryAddWithoutValidation("X-Amzn-Trace-Id", "Root=1-67891233-012344abcdef0123456789ab");
        advisor.Http.DefaultRequestHeaders.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-1234567890123451-01");
        advisor.Http.DefaultRequestHeaders.TryAddWithoutValidation("Cookie", "_fbp=fb.1.1700000000004.1234567890");
        await ApiClient.Expect(await advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "council-tax", amountPence = 1000, channel = "cash", reference = "CT 12345678", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
    }

    private static readonly string[] PansUsed = [PanDigits, "5555555555554444", "378282246310005"];

    private static string Payment(string reference, string extra = "") =>
        $"{{{extra}\"fund\":\"council-tax\",\"amountPence\":500,\"channel\":\"cash\",\"idempotencyKey\":\"{Keys.New()}\",\"reference\":{reference}}}";

    private static string DigitsOf(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    private static async Task<long> Counts(HostFixture host)
    {
        await using var admin = await host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("""
            select (select count(*) from es.events) + (select count(*) from payments.payments) + (select count(*) from payments.refunds)
                 + (select count(*) from payments.idempotency)
            """, admin);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
