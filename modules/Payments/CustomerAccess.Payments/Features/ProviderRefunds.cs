using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments.Features;

/// <summary>A recorded refund of a web or telephone payment, to be sent to the card provider after its transaction commits.</summary>
[MessageType("payments.send-provider-refund")]
internal sealed record SendProviderRefund(string RefundId, string PaymentId);

/// <summary>
/// Sends a recorded refund to the provider (GOV.UK Pay: POST /v1/payments/{id}/refunds with amount and
/// refund_amount_available) and records what it answered. Durable: the message is in the outbox from the
/// refund's own transaction; a provider that does not answer fails the delivery, so the outbox retries with
/// backoff and dead-letters in the end (an admin can send it again). Never twice: refund_amount_available is
/// what the provider had left before this refund, so a retry of a refund that did land is refused (412), and
/// then the provider's refunds are looked up to find it. No row lock is held across the call.
/// </summary>
internal sealed partial class SendProviderRefundHandler(IPaymentProvider provider, ILogger<SendProviderRefundHandler> logger)
    : IMessageHandler<SendProviderRefund>
{
    public async Task HandleAsync(SendProviderRefund message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var payment = await PaymentRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, context.Tenant, message.PaymentId, true, ct)
            .ConfigureAwait(false);
        var refund = payment?.Refunds?.FirstOrDefault(r => r.Id == message.RefundId);
        if (payment is null || refund is null || refund.ProviderStatus is not null) return; // gone, or already answered
        if (payment.ProviderPaymentId is null)
        {
            await RecordAsync(session, payment, refund.Id, null, "not-linked", ct).ConfigureAwait(false);
            return;
        }
        // What the provider still holds: the payment less the refunds it has already taken from us (not this one).
        var sent = payment.Refunds!.Where(r => r.Id != refund.Id && r.ProviderStatus is "submitted" or "success").Sum(r => r.AmountPence);
        ProviderRefund answer;
        try
        {
            answer = await provider.RefundAsync(payment.ProviderPaymentId, refund.AmountPence, payment.AmountPence - sent, ct).ConfigureAwait(false);
        }
        catch (ProviderRejectedException rejected) when (rejected.Status == 412)
        {
            // Our idea of what is available is stale: most likely an earlier attempt of this very refund landed.
            var known = payment.Refunds!.Select(r => r.ProviderRefundId).Where(id => id is not null).ToHashSet();
            var landed = (await provider.RefundsAsync(payment.ProviderPaymentId, ct).ConfigureAwait(false))
                .FirstOrDefault(r => r.AmountPence == refund.AmountPence && !known.Contains(r.ProviderRefundId));
            if (landed is null) LogRejected(logger, refund.Id, 412);
            await RecordAsync(session, payment, refund.Id, landed?.ProviderRefundId, landed?.Status ?? "rejected-412", ct).ConfigureAwait(false);
            return;
        }
        catch (ProviderRejectedException rejected)
        {
            LogRejected(logger, refund.Id, rejected.Status);
            await RecordAsync(session, payment, refund.Id, null, $"rejected-{rejected.Status}", ct).ConfigureAwait(false);
            return;
        }
        await RecordAsync(session, payment, refund.Id, answer.ProviderRefundId, answer.Status, ct).ConfigureAwait(false);
    }

    internal static Task RecordAsync(EventSession session, PaymentView payment, string refundId, string? providerRefundId, string status, CancellationToken ct) =>
        // Any version: the answer is about this refund only, whatever else happened to the payment meanwhile.
        session.AppendAsync(PaymentStreams.Payment(payment.Id), ExpectedVersion.Any,
            [new ProviderRefundRecorded(refundId, payment.Id, providerRefundId, status)], payment.CustomerId, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment provider refused refund {RefundId} (HTTP {Status}): refund it in the provider's own tool")]
    private static partial void LogRejected(ILogger logger, string refundId, int status);
}

/// <summary>
/// Brings refunds the provider has only "submitted" up to date (GOV.UK Pay: GET /v1/payments/{id}/refunds; a
/// submitted refund later becomes success or error). Called when a payment is read; a provider that does not
/// answer leaves them as they are.
/// </summary>
internal sealed class ProviderRefundStatus(EventStore store, IPaymentProvider provider)
{
    public async Task<long?> RefreshAsync(string council, EventContext context, PaymentView payment, CancellationToken ct)
    {
        var submitted = (payment.Refunds ?? []).Where(r => r.ProviderStatus == "submitted" && r.ProviderRefundId is not null).ToList();
        if (submitted.Count == 0 || payment.ProviderPaymentId is null) return null;
        IReadOnlyList<ProviderRefund> atProvider;
        try
        {
            atProvider = await provider.RefundsAsync(payment.ProviderPaymentId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderUnavailableException or ProviderRejectedException)
        {
            return null;
        }
        var changed = submitted
            .Select(r => (Refund: r, Now: atProvider.FirstOrDefault(p => p.ProviderRefundId == r.ProviderRefundId)))
            .Where(x => x.Now is not null && x.Now.Status != x.Refund.ProviderStatus).ToList();
        if (changed.Count == 0) return null;
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        foreach (var (refund, now) in changed)
            await SendProviderRefundHandler.RecordAsync(session, payment, refund.Id, now!.ProviderRefundId, now.Status, ct).ConfigureAwait(false);
        return await session.CommitAsync(ct).ConfigureAwait(false);
    }
}
