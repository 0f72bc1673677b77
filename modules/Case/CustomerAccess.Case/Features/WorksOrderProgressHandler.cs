using CustomerAccess.Case.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Case.Features;

/// <summary>
/// Waste's progress on a works order raised for a case: appends <c>case.works-order-updated</c> to the
/// case (history and the customer's timeline; "Restricted case" once restricted, like every case
/// event). A <c>completed</c> order also resolves a case that is not resolved yet, so it leaves the
/// queue; could-not-complete and cancelled are left to the team. Idempotent: the inbox drops a
/// redelivered message, and a repeat of the same works order and status is ignored.
/// </summary>
internal sealed class WorksOrderProgressHandler(TimeProvider time) : IMessageHandler<WorksOrderProgress>
{
    public const string CompletedOutcome = "Works order completed by the contractor";

    public async Task HandleAsync(WorksOrderProgress message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var state = CaseState.From(await session.ReadStreamAsync(CaseState.StreamId(message.CaseId), ct: ct).ConfigureAwait(false));
        if (state is null || state.WorksOrderUpdates.Contains((message.WorksOrderId, message.Status))) return;
        List<object> events =
        [
            new CaseWorksOrderUpdated(state.Reference, message.WorksOrderId, message.Kind, message.Status, message.ContractorReference, state.Restricted),
        ];
        if (message.Status == "completed" && !state.IsResolved)
        {
            var now = time.GetUtcNow();
            events.Add(new CaseResolved(state.Reference, CompletedOutcome, ResolvedAtFirstContact: false, WithinStandard: now <= state.DueAt, state.Restricted, Again: state.EverResolved));
        }
        await CaseAccess.AppendAsync(session, state, events, ct).ConfigureAwait(false);
    }
}
