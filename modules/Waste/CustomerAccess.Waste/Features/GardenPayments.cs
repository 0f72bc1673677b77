using CustomerAccess.Contracts;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Waste.Domain;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Payments' answers about garden waste payment requests (every module with a handler receives
/// every answer, so answers for other purposes are ignored). Paid → the subscription is active
/// (a repeat of the same answer changes nothing; money for a subscription that lapsed meanwhile is
/// sent back with RefundPaymentRequest). Failed → it stays pending and the failure is recorded.
/// </summary>
internal sealed class GardenPaymentHandler : IMessageHandler<PaymentRequestPaid>, IMessageHandler<PaymentRequestFailed>
{
    public async Task HandleAsync(PaymentRequestPaid message, MessageContext context, CancellationToken ct)
    {
        if (message.Purpose != PaymentPurposes.GardenWasteSubscription) return;
        var session = context.Session;
        var sub = await GardenSubscriptions.LoadAsync(session.Db.Connection, session.Db.Transaction, context.Tenant, message.PurposeId, true, ct)
            .ConfigureAwait(false);
        if (sub is null || sub.PaymentRequestId != message.PaymentRequestId) return; // not ours
        if (sub.Status == GardenStatus.Active) return;                               // told twice
        if (sub.Status != GardenStatus.PendingPayment)
        {
            await session.SendAsync(new RefundPaymentRequest(message.PaymentRequestId,
                $"Garden waste subscription {sub.Reference} is {sub.Status}: nothing to deliver"), ct).ConfigureAwait(false);
            return;
        }
        await session.AppendAsync(GardenStreams.For(sub.Id), sub.Version,
            [new GardenSubscriptionPaid(sub.Id, sub.Reference, sub.Season, message.PaymentRequestId, message.PaymentId, message.ReceiptNumber,
                message.AmountPence, sub.ValidFrom, sub.ValidTo)], sub.CustomerId, ct).ConfigureAwait(false);
    }

    public async Task HandleAsync(PaymentRequestFailed message, MessageContext context, CancellationToken ct)
    {
        if (message.Purpose != PaymentPurposes.GardenWasteSubscription) return;
        var session = context.Session;
        var sub = await GardenSubscriptions.LoadAsync(session.Db.Connection, session.Db.Transaction, context.Tenant, message.PurposeId, true, ct)
            .ConfigureAwait(false);
        if (sub is null || sub.PaymentRequestId != message.PaymentRequestId || sub.Status != GardenStatus.PendingPayment) return;
        var reason = message.Reason.Length > 200 ? message.Reason[..200] : message.Reason;
        await session.AppendAsync(GardenStreams.For(sub.Id), sub.Version,
            [new GardenSubscriptionPaymentFailed(sub.Id, sub.Reference, message.PaymentRequestId, message.PaymentId, reason)], sub.CustomerId, ct)
            .ConfigureAwait(false);
    }
}
