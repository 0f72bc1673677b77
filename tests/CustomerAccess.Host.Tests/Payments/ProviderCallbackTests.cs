using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// The provider's webhook: signed with HMAC-SHA256 in Pay-Signature, never trusted beyond naming a payment,
/// answered by a status lookup at the provider, recorded as polling would.
/// </summary>
public class ProviderCallbackTests
{
    private const string Secret = "webhook-secret-test-5f2a";
    private const string Route = "/api/payments/provider/callback";
    private FakeGovUkPay _fake = null!;
    private PaymentsHostFixture _host = null!;
    private ApiClient _advisor = null!;
    private HttpClient _provider = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _fake = await FakeGovUkPay.StartAsync();
        _host = await PaymentsHostFixture.StartAsync(_fake, new() { ["Payments:Provider:WebhookSecret"] = Secret });
        _advisor = _host.Client("advisor", "advisor", "cheltenham");
        _provider = _host.CreateClient(); // the provider signs in as nobody
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _advisor.Dispose();
        _provider.Dispose();
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private async Task<(string Id, string ProviderId)> Pending(long amount)
    {
        var started = await ApiClient.Expect(await _advisor.PostAsync("/api/councils/cheltenham/payments",
            new { fund = "parking", amountPence = amount, channel = "web", idempotencyKey = Keys.New() }), HttpStatusCode.Created);
        return (started["id"]!.GetValue<string>(), started["providerPaymentId"]!.GetValue<string>());
    }

    /// <summary>The stored status, read without going through GET /payments/{id} (which would look it up itself).</summary>
    private async Task<string> StoredStatus(string id)
    {
        await using var admin = await _host.Database.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("select status from payments.payments where id = $1", admin);
        cmd.Parameters.AddWithValue(id);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static string Sign(string body, string secret = Secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task<HttpResponseMessage> Callback(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("Pay-Signature", signature);
        return await _provider.SendAsync(request);
    }

    private static string Message(string providerId, string claimedStatus) => new JsonObject
    {
        ["webhook_message_id"] = Guid.NewGuid().ToString(), ["api_version"] = 1, ["resource_type"] = "payment", ["resource_id"] = providerId,
        ["event_type"] = "card_payment_succeeded", ["resource"] = new JsonObject { ["state"] = new JsonObject { ["status"] = claimedStatus } },
    }.ToJsonString();

    [Test]
    public async Task A_signed_callback_records_what_the_provider_says_when_asked_not_what_the_body_claims()
    {
        var (id, providerId) = await Pending(5101);
        _fake.Finish(id, "success");
        var body = Message(providerId, "failed"); // the body lies; the lookup decides
        var response = await Callback(body, Sign(body));
        var answer = await ApiClient.Expect(response, HttpStatusCode.OK);
        Assert.That(answer["outcome"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(await StoredStatus(id), Is.EqualTo("succeeded"));
        Assert.That(_fake.Calls, Does.Contain($"GET /v1/payments/{providerId}"), "settled by a status lookup");

        // A repeat is a no-op.
        var again = await ApiClient.Expect(await Callback(body, Sign(body)), HttpStatusCode.OK);
        Assert.That(again["outcome"]!.GetValue<string>(), Is.EqualTo("succeeded"));
    }

    [Test]
    public async Task A_callback_with_a_wrong_or_missing_signature_is_401_and_changes_nothing()
    {
        var (id, providerId) = await Pending(5102);
        _fake.Finish(id, "success");
        var body = Message(providerId, "success");
        var calls = _fake.Calls.Count;
        var wrong = await Callback(body, Sign(body, "not-the-secret"));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Callback(body, null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Callback(body + " ", Sign(body))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the signature covers the exact body");
        Assert.That(await StoredStatus(id), Is.EqualTo("pending"));
        Assert.That(_fake.Calls.Count, Is.EqualTo(calls), "nothing was looked up");
    }

    [Test]
    public async Task An_unknown_payment_is_a_200_no_op_and_a_malformed_message_a_400_problem()
    {
        var unknown = Message("pay-nobody-knows", "success");
        var answer = await ApiClient.Expect(await Callback(unknown, Sign(unknown)), HttpStatusCode.OK);
        Assert.That(answer["outcome"]!.GetValue<string>(), Is.EqualTo("unknown-payment"));
        const string garbage = "{not json";
        var bad = await Callback(garbage, Sign(garbage));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        const string nameless = "{\"event_type\":\"card_payment_succeeded\"}";
        Assert.That((await Callback(nameless, Sign(nameless))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
