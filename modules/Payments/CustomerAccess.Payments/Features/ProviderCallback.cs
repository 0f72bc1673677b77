using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// POST /api/payments/provider/callback: the provider's webhook (GOV.UK Pay shape). Public (the provider has no
/// user), so it trusts nothing in the body beyond which payment to look at: it checks the Pay-Signature header
/// (hex HMAC-SHA256 of the raw body with Payments:Provider:WebhookSecret; wrong or missing → 401), takes
/// resource_id (the provider's payment id), finds our payment by it and records what a status lookup at the
/// provider says, exactly as polling would. An unknown or already settled payment is a 200 no-op, so the
/// provider stops retrying. Without a secret the route answers 503, except in Development (local simulator).
/// </summary>
internal static partial class ProviderCallback
{
    public const string Route = "/api/payments/provider/callback";
    public const string SignatureHeader = "Pay-Signature";
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, Handle).AllowAnonymous().WithTags("Payments").WithName("PaymentProviderCallback");

    private static async Task<IResult> Handle(HttpContext http, PaymentProviderOptions options, IWebHostEnvironment environment, PlatformDatabase db,
        EventStore store, ProviderOutcome outcome, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(ProviderCallback));
        var body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(options.WebhookSecret))
        {
            if (!environment.IsDevelopment())
                throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Webhook not configured",
                    "Provider callbacks need Payments:Provider:WebhookSecret.");
        }
        else if (!SignatureMatches(body, http.Request.Headers[SignatureHeader].ToString(), options.WebhookSecret))
        {
            LogBadSignature(logger);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "The signature does not match.");
        }

        string? providerPaymentId;
        try
        {
            using var json = JsonDocument.Parse(body);
            providerPaymentId = json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("resource_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            throw ApiProblemException.Validation("body", "The body must be a JSON webhook message.");
        }
        if (string.IsNullOrWhiteSpace(providerPaymentId) || providerPaymentId.Length > 100)
            throw ApiProblemException.Validation("resource_id", "The message names no payment (resource_id).");

        // Which council's payment: ids only, on the platform's RLS-bypassing connection (as the sweep does);
        // the payment is then read and settled inside its own council's scope.
        (string Council, string Id)? found = null;
        await using (var cmd = db.System.CreateCommand("select tenant_id, id from payments.payments where provider_payment_id = $1 limit 1"))
        {
            cmd.Parameters.AddWithValue(providerPaymentId);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false)) found = (r.GetString(0), r.GetString(1));
        }
        if (found is not { } f) return Results.Ok(new { outcome = "unknown-payment" });
        var payment = await PaymentRecord.LoadAsync(store, f.Council, f.Id, ct).ConfigureAwait(false);
        if (payment.Status == PaymentStatus.Pending)
        {
            await outcome.RefreshAsync(f.Council, EventContext.System("payment-provider-callback") with { Channel = payment.Channel }, payment, ct)
                .ConfigureAwait(false);
            payment = await PaymentRecord.LoadAsync(store, f.Council, f.Id, ct).ConfigureAwait(false);
        }
        return Results.Ok(new { outcome = payment.Status });
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "Payload too large", "A webhook message is at most 64 KB.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Pay-Signature is the lowercase hex HMAC-SHA256 of the raw body; compared in constant time.</summary>
    internal static bool SignatureMatches(byte[] body, string header, string secret)
    {
        var expected = Sign(body, secret);
        var given = Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given);
    }

    internal static string Sign(byte[] body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A payment provider callback had a missing or wrong signature")]
    private static partial void LogBadSignature(ILogger logger);
}
