using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>POST /cases/{id}/escalations: the case joins a service team's queue.</summary>
internal static class EscalateCase
{
    /// <param name="IdempotencyKey">optional: the same key and body again escalates nothing (200, the case as it is)</param>
    internal sealed record Request(string? Team, string? Reason, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/escalations", Handle).RequireAuthorization(Policies.Casework).WithName("EscalateCase");

    private static Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct) =>
        CaseAccess.DecideAndCommitAsync(store, http, (session, token) => DecideAsync(session, id, body, http.User, token), ct,
            CaseAccess.Submission.For(body?.IdempotencyKey, "case.escalate", id, body?.Team, CaseAccess.Clean(body?.Reason)));

    /// <summary>Validates, loads and appends in the session; the caller commits.</summary>
    internal static async Task<CaseState> DecideAsync(EventSession session, string id, Request? body, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with team and reason is required.");
        var reason = CaseAccess.Clean(body.Reason);
        var v = new Validator();
        v.Require(body.Team is not null && Teams.All.Contains(body.Team), "team", "Team must be one of " + string.Join(", ", Teams.All) + ".");
        v.Require(reason is not null, "reason", "Say why the case is escalated.");
        v.Require((reason?.Length ?? 0) <= CaseAccess.MaxText, "reason", $"The reason must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        CaseAccess.RefuseIfResolved(state, "escalate it");
        await CaseAccess.AppendAsync(session, state, [new CaseEscalated(state.Reference, body.Team!, reason, state.Restricted)], ct).ConfigureAwait(false);
        return state;
    }
}
