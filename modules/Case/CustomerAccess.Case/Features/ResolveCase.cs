using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>
/// POST /cases/{id}/resolution: the case is resolved (a resolved case → 409). Records whether it
/// was within the service standard and whether it was resolved at first contact.
/// </summary>
internal static class ResolveCase
{
    /// <param name="IdempotencyKey">optional: the same key and outcome again resolves nothing (200, the case as it is), so a retried request is not a 409</param>
    internal sealed record Request(string? Outcome, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/resolution", Handle).RequireAuthorization(Policies.Casework).WithName("ResolveCase");

    private static Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct) =>
        CaseAccess.DecideAndCommitAsync(store, http, (session, token) => DecideAsync(session, id, body, http.User, time.GetUtcNow(), token), ct,
            CaseAccess.Submission.For(body?.IdempotencyKey, "case.resolve", id, CaseAccess.Clean(body?.Outcome)));

    internal static async Task<CaseState> DecideAsync(EventSession session, string id, Request? body, System.Security.Claims.ClaimsPrincipal user,
        DateTimeOffset now, CancellationToken ct)
    {
        var outcome = CaseAccess.Clean(body?.Outcome);
        var v = new Validator();
        v.Require(outcome is not null, "outcome", "Say how the case was resolved.");
        v.Require((outcome?.Length ?? 0) <= CaseAccess.MaxText, "outcome", $"The outcome must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        if (state.IsResolved) throw ApiProblemException.Conflict("This case is already resolved.");
        await CaseAccess.AppendAsync(session, state,
            [new CaseResolved(state.Reference, outcome, state.IsFirstContactResolution(user.Actor(), now), now <= state.DueAt, state.Restricted, state.EverResolved)], ct)
            .ConfigureAwait(false);
        return state;
    }
}
