using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>
/// POST /cases/{id}/safeguarding: an adult or child safeguarding concern. The case goes at once to
/// the safeguarding team's queue and from then on only safeguarding officers, partnership admins and
/// auditors can see it; the advisor who flags it gets 200 and then, like everyone else, a 404.
/// </summary>
internal static class FlagSafeguarding
{
    internal sealed record Request(string? Concern, string? Reason);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/safeguarding", Handle).RequireAuthorization(Policies.Casework).WithName("FlagSafeguarding");

    private static async Task<IResult> Handle(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var state = await DecideAsync(session, id, body, http.User, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(new { id = state.Id, reference = state.Reference, status = state.Status, team = Teams.Safeguarding, restricted = true });
    }

    internal static async Task<CaseState> DecideAsync(EventSession session, string id, Request? body, System.Security.Claims.ClaimsPrincipal user,
        CancellationToken ct)
    {
        var reason = CaseAccess.Clean(body?.Reason);
        var v = new Validator();
        v.Require(body?.Concern is not null && SafeguardingConcerns.All.Contains(body.Concern), "concern", "The concern is adult or child.");
        v.Require(reason is not null, "reason", "Say what the concern is.");
        v.Require((reason?.Length ?? 0) <= CaseAccess.MaxText, "reason", $"The reason must be {CaseAccess.MaxText} characters or fewer.");
        v.ThrowIfInvalid();

        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        if (state.Safeguarding.Contains(body!.Concern!)) throw ApiProblemException.Conflict($"An {body.Concern} safeguarding concern is already flagged on this case.");
        await CaseAccess.AppendAsync(session, state, [new SafeguardingFlagged(state.Reference, body.Concern!, reason)], ct).ConfigureAwait(false);
        return state;
    }
}
