using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerAccess.Contracts;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// POST /payments: take money for a fund. Idempotent on idempotencyKey: the key and a hash of the
/// canonical request are stored in the payment's own transaction, so a retry (even one racing the
/// first) gets the same payment with 200, and the same key with a different body is a 409.
/// Cash, cheque, card-present and automated-telephone payments succeed at once with the next receipt
/// number; web and telephone payments start pending at the card provider and get their receipt when
/// the provider confirms success.
/// </summary>
internal static class TakePayment
{
    public const long MaxAmountPence = 10_000_000; // £100,000: above this, something was mistyped

    internal sealed record Request(string? CustomerId, string? Fund, long? AmountPence, string? Channel, string? Reference, string? IdempotencyKey,
        string? PaymentRequestId = null);

    /// <summary>What a take came to: the payment, the last position written, and whether it is new (201) or a replay (200).</summary>
    internal sealed record Taken(PaymentView Payment, long? Position, bool Created);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payments", Handle).RequireAuthorization(Policies.Payments).WithName("TakePayment");

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, ProviderOutcome outcome,
        ProviderAvailability availability, TimeProvider time, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with fund, amountPence, channel and idempotencyKey is required.");
        var council = http.Council();
        var taken = await TakeAsync(council, http, body, store, outcome, availability, time, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, taken.Position);
        return taken.Created
            ? Results.Created($"/api/councils/{council}/payments/{taken.Payment.Id}", Summary(taken.Payment))
            : Results.Ok(Summary(taken.Payment));
    }

    /// <summary>The use case, shared by the endpoint and the take-a-payment page.</summary>
    internal static async Task<Taken> TakeAsync(string council, HttpContext http, Request body, EventStore store, ProviderOutcome outcome,
        ProviderAvailability availability, TimeProvider time, CancellationToken ct)
    {
        var customerId = string.IsNullOrWhiteSpace(body.CustomerId) ? null : body.CustomerId.Trim();
        var fund = body.Fund?.Trim();
        var reference = string.IsNullOrWhiteSpace(body.Reference) ? null : body.Reference.Trim();
        var key = body.IdempotencyKey?.Trim();
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(key), "idempotencyKey", "An idempotency key is required, so a retried request never takes money twice.");
        v.Require((key?.Length ?? 0) <= 100, "idempotencyKey", "The idempotency key must be 100 characters or fewer.");
        v.Require(!string.IsNullOrEmpty(fund), "fund", "Say which fund the payment is for.");
        v.Require(body.AmountPence is > 0, "amountPence", "The amount must be a whole number of pence greater than 0.");
        v.Require(body.AmountPence is null or <= MaxAmountPence, "amountPence", $"The amount must be at most {Money.Format(MaxAmountPence)}.");
        v.Require(body.Channel is not null && Channels.All.Contains(body.Channel), "channel", "Channel must be one of " + string.Join(", ", Channels.All) + ".");
        v.Require((reference?.Length ?? 0) <= 100, "reference", "The reference must be 100 characters or fewer.");
        v.Require((customerId?.Length ?? 0) <= 64, "customerId", "This is not a customer id.");
        Guid? requestId = null;
        if (!string.IsNullOrWhiteSpace(body.PaymentRequestId))
        {
            if (Guid.TryParse(body.PaymentRequestId.Trim(), out var parsed)) requestId = parsed;
            else v.Add("paymentRequestId", "There is no such payment request in this council.");
        }
        v.ThrowIfInvalid();
        var channel = body.Channel!;
        var viaProvider = Channels.ViaProvider(channel);
        if (viaProvider && !availability.Configured)
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Payment provider not configured",
                "Card payments by web or telephone need Payments:Provider:BaseUrl and Payments:Provider:ApiKey.");
        var hash = Hash(customerId, fund!, body.AmountPence!.Value, channel, reference, requestId);
        var context = http.EventContext(channel);

        PaymentView payment;
        string fundName;
        long? position;
        var prefix = (await http.RequestServices.GetRequiredService<ICouncilDirectory>().RequireAsync(council, ct).ConfigureAwait(false)).ReceiptPrefix;
        await using (var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false))
        {
            // Claims the key; a concurrent request with the same key waits here until this one commits or rolls back.
            var claimed = await ClaimKeyAsync(session, key!, hash, ct).ConfigureAwait(false);
            if (claimed is { } existing)
            {
                if (existing.Hash != hash)
                    throw ApiProblemException.Conflict("This idempotency key was already used for a different payment request.");
                var earlier = await PaymentRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, council, existing.PaymentId, false, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("An idempotency key points at no payment.");
                await session.DisposeAsync().ConfigureAwait(false);
                return await ReplayAsync(council, context, earlier, existing.Position, outcome, store, ct).ConfigureAwait(false);
            }

            var found = await Ledger.FindFundAsync(session, fund!, ct).ConfigureAwait(false)
                ?? throw ApiProblemException.Validation("fund", "This council has no fund '" + fund + "'. See GET /payments/funds.");
            fundName = found.Name;
            if (customerId is not null && await session.StreamVersionAsync(CustomerStreams.For(customerId), ct).ConfigureAwait(false) == 0)
                throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
            var today = Ledger.LocalDate(time.GetUtcNow());
            await Ledger.RequireOpenDayAsync(session, today, ct).ConfigureAwait(false);
            PaymentRequestView? request = null;
            if (requestId is { } rid)
            {
                request = await PaymentRequests.RequireOpenAsync(session, rid, found.Code, body.AmountPence.Value, time.GetUtcNow(), ct).ConfigureAwait(false);
                if (customerId is not null && request.CustomerId is not null && customerId != request.CustomerId)
                    throw ApiProblemException.Validation("customerId", "This payment request is for a different customer.");
                customerId ??= request.CustomerId;
            }

            var id = Guid.CreateVersion7().ToString();
            var receipt = viaProvider ? null : await Ledger.NextReceiptAsync(session, prefix, ct).ConfigureAwait(false);
            var status = viaProvider ? PaymentStatus.Pending : PaymentStatus.Succeeded;
            await session.AppendAsync(PaymentStreams.Payment(id), ExpectedVersion.NoStream,
                [new PaymentTaken(id, found.Code, found.Name, found.OnBehalfOf, body.AmountPence.Value, channel, reference, status, receipt, today, requestId)],
                customerId, ct).ConfigureAwait(false);
            if (request is not null && receipt is not null)
                await PaymentRequests.PaidAsync(session, request, id, receipt, body.AmountPence.Value, ct).ConfigureAwait(false);
            await using (var cmd = session.Db.Command("update payments.idempotency set payment_id = $3, position = $4 where tenant_id = $1 and key = $2"))
            {
                cmd.Parameters.AddWithValue(council);
                cmd.Parameters.AddWithValue(key!);
                cmd.Parameters.AddWithValue(id);
                cmd.Parameters.AddWithValue(session.LastPosition!.Value);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            position = await session.CommitAsync(ct).ConfigureAwait(false);
            payment = new PaymentView(id, receipt, status, customerId, found.Code, body.AmountPence.Value, 0, channel, reference, null, null, null,
                Ledger.Text(today), time.GetUtcNow(), context.Actor, null, 1) { PaymentRequestId = requestId };
        }

        if (viaProvider)
        {
            // Outside any transaction: never hold a database transaction open across a call to the provider.
            position = await outcome.StartAsync(council, context, payment, fundName, ct).ConfigureAwait(false) ?? position;
            payment = await PaymentRecord.LoadAsync(store, council, payment.Id, ct).ConfigureAwait(false);
        }
        return new Taken(payment, position, true);
    }

    private static async Task<Taken> ReplayAsync(string council, EventContext context, PaymentView payment, long? position,
        ProviderOutcome outcome, EventStore store, CancellationToken ct)
    {
        if (payment.Status == PaymentStatus.Pending && Channels.ViaProvider(payment.Channel))
        {
            // A retry of a card payment whose start had an unknown outcome: settle it by lookup now.
            if (await outcome.RefreshAsync(council, context, payment, ct).ConfigureAwait(false) is { } written) position = written;
            payment = await PaymentRecord.LoadAsync(store, council, payment.Id, ct).ConfigureAwait(false);
        }
        return new Taken(payment, position, false);
    }

    internal static object Summary(PaymentView p) => new
    {
        id = p.Id, receiptNumber = p.ReceiptNumber, status = p.Status, amountPence = p.AmountPence, fund = p.Fund, channel = p.Channel,
        nextUrl = p.NextUrl, providerPaymentId = p.ProviderPaymentId, paymentRequestId = p.PaymentRequestId,
    };

    private sealed record ClaimedKey(string Hash, string PaymentId, long? Position);

    /// <summary>Null when this request now owns the key; otherwise what the key was first used for.</summary>
    private static async Task<ClaimedKey?> ClaimKeyAsync(EventSession session, string key, string hash, CancellationToken ct)
    {
        await using (var insert = session.Db.Command("""
            insert into payments.idempotency (tenant_id, key, request_hash, payment_id) values ($1, $2, $3, '')
            on conflict (tenant_id, key) do nothing
            """))
        {
            insert.Parameters.AddWithValue(session.Tenant);
            insert.Parameters.AddWithValue(key);
            insert.Parameters.AddWithValue(hash);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) return null;
        }
        await using var select = session.Db.Command("select request_hash, payment_id, position from payments.idempotency where tenant_id = $1 and key = $2");
        select.Parameters.AddWithValue(session.Tenant);
        select.Parameters.AddWithValue(key);
        await using var r = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException("The idempotency key vanished.");
        return new ClaimedKey(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2));
    }

    /// <summary>SHA-256 of the request in a canonical form: field order, whitespace and casing of JSON do not matter.</summary>
    internal static string Hash(string? customerId, string fund, long amountPence, string channel, string? reference, Guid? paymentRequestId = null)
    {
        // Without a payment request, the form keys stored before requests existed were hashed with.
        var canonical = JsonSerializer.Serialize(paymentRequestId is null
            ? new object?[] { customerId, fund, amountPence, channel, reference }
            : new object?[] { customerId, fund, amountPence, channel, reference, paymentRequestId });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>Whether card-not-present payments can be taken (a provider is configured, or the local simulator runs).</summary>
internal sealed record ProviderAvailability(bool Configured, bool Simulated);
