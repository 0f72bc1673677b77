using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
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
/// Refunds of web and telephone payments are recorded only (providerRefund: "not-sent").
/// </summary>
internal static class IssueRefund
{
    internal sealed record Request(long? AmountPence, string? Reason);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payments/{id}/refunds", Handle).RequireAuthorization(Policies.Payments).WithName("IssueRefund");

    internal sealed record Issued(string RefundId, PaymentView Payment, long AmountPence, DateOnly Day, long? Position);

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct)
    {
        var council = http.Council();
        var issued = await IssueAsync(council, http.EventContext(), id, body, store, time, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, issued.Position);
        var payment = issued.Payment;
        return Results.Created($"/api/councils/{council}/payments/{id}", new
        {
            id = issued.RefundId, paymentId = id, amountPence = issued.AmountPence, businessDate = Ledger.Text(issued.Day),
            refundedPence = payment.RefundedPence + issued.AmountPence, refundablePence = payment.AmountPence - payment.RefundedPence - issued.AmountPence,
            // Card-not-present refunds are recorded here but not yet sent to the provider's refund API:
            // the advisor issues them in the provider's own admin tool until that adapter exists.
            providerRefund = Channels.ViaProvider(payment.Channel) ? "not-sent" : null,
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
        v.ThrowIfInvalid();

        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        var today = Ledger.LocalDate(time.GetUtcNow());
        await Ledger.RequireOpenDayAsync(session, today, ct).ConfigureAwait(false);
        var payment = await PaymentRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, council, id, false, ct, forUpdate: true).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The payment");
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
        return new Issued(refundId, payment, amount, today, await session.CommitAsync(ct).ConfigureAwait(false));
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
        return refundId;
    }
}
