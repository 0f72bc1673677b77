using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Features;

/// <summary>GET /cases/{id}: the case and its history, read from its stream (so a write is always visible at once).</summary>
internal static class GetCase
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/cases/{id}", Handle).RequireAuthorization(Policies.Read).WithName("GetCase");

    private static async Task<IResult> Handle(string id, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct)
    {
        var view = await LoadAsync(store, http.Council(), id, http.User, time, ct).ConfigureAwait(false);
        return Results.Ok(view);
    }

    internal sealed record CaseView(
        string Id, string Reference, string CustomerId, string Type, string Service, string Status, string? Team, DateTimeOffset DueAt, int? Stage,
        string? Member, string? Summary, string? Details, bool Restricted, IReadOnlyList<string> Safeguarding, bool Overdue,
        DateTimeOffset RaisedAt, string RaisedBy, DateTimeOffset? ResolvedAt, bool ResolvedAtFirstContact, bool? ResolvedWithinStandard,
        IReadOnlyList<CaseStep> History);

    /// <summary>The case as the caller may see it: 404 for another council's or a restricted case they may not see.</summary>
    internal static async Task<CaseView> LoadAsync(EventStore store, string council, string id, System.Security.Claims.ClaimsPrincipal user,
        TimeProvider time, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(council, new EventContext { Actor = user.Actor() }, ct).ConfigureAwait(false);
        var s = await CaseAccess.LoadAsync(session, id, user, ct).ConfigureAwait(false);
        return new CaseView(s.Id, s.Reference, s.CustomerId, s.Type, s.Service, s.Status, s.Team, s.DueAt, s.Stage, s.Member, s.Summary, s.Details,
            s.Restricted, s.Safeguarding, !s.IsResolved && time.GetUtcNow() > s.DueAt, s.RaisedAt, s.RaisedBy, s.ResolvedAt, s.ResolvedAtFirstContact,
            s.ResolvedWithinStandard, s.History);
    }
}
