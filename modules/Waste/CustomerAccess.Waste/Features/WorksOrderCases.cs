using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Works orders raised for a case: the report's optional <c>caseId</c> must name a case of the
/// council (its stream exists: <see cref="CaseStreams"/>), and every step of such an order (raised,
/// sent, each status change) is sent to the Case module as contracts' <see cref="WorksOrderProgress"/>
/// in the same transaction as the event.
/// </summary>
internal static class WorksOrderCases
{
    /// <summary>The trimmed case id, or null when none was given; a malformed one is a 400 on <c>caseId</c> (added to <paramref name="v"/>).</summary>
    public static string? Clean(string? caseId, Validator v)
    {
        var id = string.IsNullOrWhiteSpace(caseId) ? null : caseId.Trim();
        v.Require(id is null || id.Length <= 64, "caseId", "This is not a case id.");
        return id;
    }

    /// <summary>400 on <c>caseId</c> unless the case exists in the session's council (another council's case does not, under RLS).</summary>
    public static async Task RequireAsync(EventSession session, string? caseId, CancellationToken ct)
    {
        if (caseId is null) return;
        if (caseId.Length > 64 || await session.StreamVersionAsync(CaseStreams.For(caseId), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("caseId", "There is no such case in this council.");
    }

    /// <summary>Queues the order's progress for its case, if it has one (the caller commits).</summary>
    public static async Task ProgressAsync(EventSession session, string? caseId, string worksOrderId, string kind, string status,
        string? contractorReference, CancellationToken ct)
    {
        if (caseId is null) return;
        await session.SendAsync(new WorksOrderProgress(caseId, worksOrderId, kind, status, contractorReference), ct).ConfigureAwait(false);
    }
}
