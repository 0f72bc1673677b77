using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>POST /cases/{id}/start: a service officer takes the case (status in-progress).</summary>
internal static class StartCase
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/cases/{id}/start", Handle).RequireAuthorization(Policies.Casework).WithName("StartCase");

    private static async Task<IResult> Handle(string id, HttpContext http, EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var state = await DecideAsync(session, id, http.User, ct).ConfigureAwait(false);
        return await CaseAccess.CommitAsync(session, http, state, ct).ConfigureAwait(false);
    }

    internal static async Task<CaseState> DecideAsync(EventSession session, string id, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var state = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        CaseAccess.RefuseIfResolved(state, "start work on it");
        if (state.Status == CaseStatuses.InProgress) throw ApiProblemException.Conflict("Work on this case has already started.");
        await CaseAccess.AppendAsync(session, state, [new CaseStarted(state.Reference, state.Team, state.Restricted)], ct).ConfigureAwait(false);
        return state;
    }
}
