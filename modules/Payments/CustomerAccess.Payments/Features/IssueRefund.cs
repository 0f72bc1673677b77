using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// POST /payments/{id}/refunds: give money back. The payment's row is locked for the decision, so
/// concurrent refunds are judged one after another and together never exceed what was paid (409).
/// A refund is a transaction of the day it is issued: a payment whose own day is closed can still be
/// refunded, and the refund counts in today's cash-up (409 only when today is closed).
/// Refunds of web and telephone payments are then sent to the provider through the outbox (providerRefund: "queued").
/// </summary>
internal static class IssueRefund
{
    /// <param name="IdempotencyKey">optional: the same key again is the same refund (200), with another body a 409</param>
    internal sealed record Request(long? AmountPence, string? Reason, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payments/{id}/refunds", Handle).RequireAuthorization(Policies.Payments).WithName("IssueRefund");

    internal sealed record Issued(string RefundId, PaymentView Payment, long AmountPence, DateOnly Day, long? Position, bool Repeated = false);

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct)
    {
        var council = http.Council();
        var issued = await IssueAsync(council, http.EventContext(), id, body, store, time, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, issued.Position);
        var payment = issued.Payment;
        if (issued.Repeated)
            return Results.Ok(new { id = issued.RefundId, paymentId = id, amountPence = issued.AmountPence, refundedPence = payment.RefundedPence,
                refundablePence = payment.AmountPence - payment.RefundedPence });
        return Results.Created($"/api/councils/{council}/payments/{id}", new
        {
            id = issued.RefundId, paymentId = id, amountPence = issued.AmountPence, businessDate = Ledger.Text(issued.Day),
            refundedPence = payment.RefundedPence + issued.AmountPence, refundablePence = payment.AmountPence - payment.RefundedPence - issued.AmountPence,
            // Card-not-present refunds are recorded now and sent to the provider after commit, through the outbox
            // (SendProviderRefund): GET /payments/{id} shows each refund's providerStatus once the provider answered.
            providerRefund = Channels.ViaProvider(payment.Channel) ? "queued" : null,
        });
    }

    /// <summary>The use case, shared by the endpoint and the receipt page's refund form.</summary>
    internal static async Task<Issued> IssueAsync(string council, EventContext context, string id, Request? body, EventStore store, TimeProvider time,
        CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with amountPence and reason is required.");
        var v = new Validator();
        v.Require(body.AmountPence is > 0, "amountPence", "The refund must be a whole number of pence greater than 0.");
        v.Require(!string.IsNullOrWhiteSpace(body.Reason), "reason", "Say why the money is being refunded.");
        v.Require((body.Reason?.Length ?? 0) <= 500, "reason", "The reason must be 500 characters or fewer.");
        v.Require(body.IdempotencyKey is null || (body.IdempotencyKey.Trim().Length is >= 1 and <= 100), "idempotencyKey", "The idempotency key is 1 to 100 characters.");
        v.ThrowIfInvalid();
        var key = body.IdempotencyKey?.Trim();

        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        var today = Ledger.LocalDate(time.GetUtcNow());
        await Ledger.RequireOpenDayAsync(session, today, ct).ConfigureAwait(false);
        var payment = await PaymentRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, council, id, false, ct, forUpdate: true).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The payment");
        if (key is not null && await RepeatOfAsync(session, council, key, id, body.AmountPence!.Value, body.Reason!.Trim(), ct).ConfigureAwait(false) is { } earlier)
            return new Issued(earlier, payment, body.AmountPence!.Value, today, null, Repeated: true);
        if (payment.Status != PaymentStatus.Succeeded)
            throw ApiProblemException.Conflict($"Only a succeeded payment can be refunded; this one is {payment.Status}.");
        var amount = body.AmountPence!.Value;
        if (payment.RefundedPence + amount > payment.AmountPence)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"Refunds would exceed the payment: {Money.Format(payment.AmountPence - payment.RefundedPence)} is left to refund.")
            {
                Extensions = new Dictionary<string, object?> { ["refundablePence"] = payment.AmountPence - payment.RefundedPence },
            };

        var refundId = await RefundAsync(session, payment, amount, body.Reason!.Trim(), today, ct).ConfigureAwait(false);
        if (key is not null)
        {
            await using var claim = session.Db.Command("""
                insert into payments.refund_idempotency (tenant_id, key, payment_id, amount_pence, reason, refund_id) values ($1, $2, $3, $4, $5, $6)
                """);
            claim.Parameters.AddWithValue(council);
            claim.Parameters.AddWithValue(key);
            claim.Parameters.AddWithValue(id);
            claim.Parameters.AddWithValue(amount);
            claim.Parameters.AddWithValue(body.Reason!.Trim());
            claim.Parameters.AddWithValue(refundId);
            await claim.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return new Issued(refundId, payment, amount, today, await session.CommitAsync(ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The refund an earlier request with this key made, or null for a new key. The payment's row is
    /// locked, so two requests with one key are judged one after the other. The same key for another
    /// payment, amount or reason is a 409: it is not the same request.
    /// </summary>
    private static async Task<string?> RepeatOfAsync(EventSession session, string council, string key, string paymentId, long amount, string reason,
        CancellationToken ct)
    {
        await using var cmd = session.Db.Command("select payment_id, amount_pence, reason, refund_id from payments.refund_idempotency where tenant_id = $1 and key = $2");
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(key);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        if (r.GetString(0) != paymentId || r.GetInt64(1) != amount || r.GetString(2) != reason)
            throw ApiProblemException.Conflict("This idempotency key was used for a different refund.");
        return r.GetString(3);
    }

    /// <summary>
    /// Records a refund of a payment whose row the caller has locked (after the day it is dated), judged already:
    /// succeeded, and <paramref name="amount"/> within what is left. Returns the refund's id.
    /// </summary>
    public static async Task<string> RefundAsync(EventSession session, PaymentView payment, long amount, string reason, DateOnly day, CancellationToken ct)
    {
        var refundId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(PaymentStreams.Payment(payment.Id), payment.Version,
            [new RefundIssued(refundId, payment.Id, payment.ReceiptNumber, payment.Fund, payment.Channel, amount, reason, day)],
            payment.CustomerId, ct).ConfigureAwait(false);
        if (Channels.ViaProvider(payment.Channel))
            await session.SendAsync(new SendProviderRefund(refundId, payment.Id), ct).ConfigureAwait(false);
        return refundId;
    }
}
