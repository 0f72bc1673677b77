using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>
/// POST /cases/{id}/complaint-stage-2: the complainant asks for a stage 2 review. Complaints only
/// (else 409), once; the case goes to the complaints team with the stage 2 standard from today
/// (the council's "complaint-stage-2" days, else 20 working days).
/// </summary>
internal static class ComplaintStage2
{
    /// <param name="IdempotencyKey">optional: the same key and reason again changes nothing (200, the case as it is)</param>
    internal sealed record Request(string? Reason, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/complaint-stage-2", Handle).RequireAuthorization(Policies.Casework).WithName("EscalateComplaint");

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, ICouncilDirectory directory, TimeProvider time,
        CancellationToken ct)
    {
        var info = await directory.RequireAsync(http.Council(), ct).ConfigureAwait(false);
        return await CaseAccess.DecideAndCommitAsync(store, http, (session, token) => DecideAsync(session, info, id, body, http.User, time.GetUtcNow(), token), ct,
            CaseAccess.Submission.For(body?.IdempotencyKey, "case.stage2", id, CaseAccess.Clean(body?.Reason))).ConfigureAwait(false);
    }

    internal static async Task<CaseState> DecideAsync(EventSession session, CouncilInfo info, string id, Request? body,
        System.Security.Claims.ClaimsPrincipal user, DateTimeOffset now, CancellationToken ct)
    {
        var reason = CaseAccess.Clean(body?.Reason);
        var v = new Validator();
        v.Require(reason is not null, "reason", "Say why the complainant wants a stage 2 review.");
        v.Require((reason?.Length ?? 0) <= CaseAccess.MaxText, "reason", $"The reason must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        if (state.Type != CaseTypes.Complaint) throw ApiProblemException.Conflict("Only a complaint has a second stage.");
        if (state.Stage == 2) throw ApiProblemException.Conflict("This complaint is already at stage 2.");
        var dueAt = CaseDueDates.For(info, CaseTypes.Complaint, 2, now);
        var team = state.Restricted ? Teams.Safeguarding : Teams.Complaints;
        await CaseAccess.AppendAsync(session, state, [new ComplaintEscalated(state.Reference, 2, reason, dueAt, team, state.Restricted)], ct)
            .ConfigureAwait(false);
        return state;
    }
}
