using CustomerAccess.Platform.Messaging;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.ReadModels;

namespace CustomerAccess.Waste.Contractor;

/// <summary>
/// Delivers a raised works order to the contractor (outbox: at least once, retried with backoff,
/// dead-lettered in the end) and records its reference: raised → sent. An order that is no longer
/// raised (already sent, or cancelled meanwhile) is left alone, so a redelivery is harmless; the
/// contractor also sees our id as Idempotency-Key.
/// </summary>
internal sealed class SendWorksOrderHandler(IContractorClient contractor) : IMessageHandler<SendWorksOrderToContractor>
{
    public async Task HandleAsync(SendWorksOrderToContractor message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var order = await WorksOrderView.LoadAsync(session.Db.Connection, session.Db.Transaction, context.Tenant, message.WorksOrderId, true, ct)
            .ConfigureAwait(false);
        if (order is null || order.Status != WorksOrderStatus.Raised) return;
        var reference = await contractor.SendAsync(
            new ContractorWorksOrder(order.Id, context.Tenant, order.Kind, order.Uprn, order.Container, order.CollectionDate, order.Reason,
                order.Latitude, order.Longitude, order.Detail, order.Items, order.Location, order.MediaUrl), ct).ConfigureAwait(false);
        if (reference is null) return;
        await session.AppendAsync(WasteStreams.WorksOrder(order.Id), order.Version,
            [new WorksOrderSent(order.Id, order.Container, reference, order.Kind)], order.CustomerId, ct).ConfigureAwait(false);
        await Features.WorksOrderCases.ProgressAsync(session, order.CaseId, order.Id, order.Kind, WorksOrderStatus.Sent, reference, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Tells the contractor a works order it holds was cancelled here (outbox: at least once, retried,
/// dead-lettered in the end; the contractor sees the same Idempotency-Key on every attempt).
/// </summary>
internal sealed class CancelWorksOrderAtContractorHandler(IContractorClient contractor) : IMessageHandler<CancelWorksOrderAtContractor>
{
    public Task HandleAsync(CancelWorksOrderAtContractor message, MessageContext context, CancellationToken ct) =>
        contractor.CancelAsync(message.WorksOrderId, message.ContractorReference, ct);
}
