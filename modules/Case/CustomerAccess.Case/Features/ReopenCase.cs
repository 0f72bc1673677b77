using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>POST /cases/{id}/reopening: a resolved case is reopened (anything else → 409), due again by the standard from today.</summary>
internal static class ReopenCase
{
    /// <param name="IdempotencyKey">optional: the same key and reason again changes nothing (200, the case as it is)</param>
    internal sealed record Request(string? Reason, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/reopening", Handle).RequireAuthorization(Policies.Casework).WithName("ReopenCase");

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, ICouncilDirectory directory, TimeProvider time,
        CancellationToken ct)
    {
        var info = await directory.RequireAsync(http.Council(), ct).ConfigureAwait(false);
        return await CaseAccess.DecideAndCommitAsync(store, http, (session, token) => DecideAsync(session, info, id, body, http.User, time.GetUtcNow(), token), ct,
            CaseAccess.Submission.For(body?.IdempotencyKey, "case.reopen", id, CaseAccess.Clean(body?.Reason))).ConfigureAwait(false);
    }

    internal static async Task<CaseState> DecideAsync(EventSession session, CouncilInfo info, string id, Request? body,
        System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now, CancellationToken ct)
    {
        var reason = CaseAccess.Clean(body?.Reason);
        var v = new Validator();
        v.Require(reason is not null, "reason", "Say why the case is reopened.");
        v.Require((reason?.Length ?? 0) <= CaseAccess.MaxText, "reason", $"The reason must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        if (!state.IsResolved) throw ApiProblemException.Conflict("Only a resolved case can be reopened.");
        var dueAt = CaseDueDates.For(info, state.Type, state.Stage, now);
        await CaseAccess.AppendAsync(session, state, [new CaseReopened(state.Reference, reason, dueAt, state.Restricted)], ct).ConfigureAwait(false);
        return state;
    }
}
