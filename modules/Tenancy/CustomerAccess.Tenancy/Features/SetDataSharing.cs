using System.Security.Claims;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Domain;
using CustomerAccess.Tenancy.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Tenancy.Features;

/// <summary>
/// PUT /api/councils/{council}/data-sharing/{otherCouncil}: {council} agrees (or stops agreeing) to let
/// {otherCouncil} see its customers' identity. GET lists a council's agreements, or reads one.
/// </summary>
internal static class SetDataSharing
{
    internal sealed record Request(bool? ShareCustomerIdentity);

    internal sealed record Response(string Council, string OtherCouncil, bool ShareCustomerIdentity, DateTimeOffset ChangedAt);

    public static void Map(RouteGroupBuilder council)
    {
        council.MapPut("/data-sharing/{otherCouncil}", Handle).RequireAuthorization(Policies.PartnershipAdmin).WithName("SetDataSharing");
        council.MapGet("/data-sharing", List).RequireAuthorization(Policies.Read).WithName("ListDataSharing");
        council.MapGet("/data-sharing/{otherCouncil}", Get).RequireAuthorization(Policies.Read).WithName("GetDataSharing");
    }

    private static async Task<IResult> Handle(string otherCouncil, Request? request, ClaimsPrincipal user, HttpContext http,
        EventStore store, ICouncilDirectory directory, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), new EventContext { Actor = user.Actor(), Channel = "api" }.WithCurrentTrace(), ct)
            .ConfigureAwait(false);
        var response = await SetAsync(session, directory, otherCouncil, request?.ShareCustomerIdentity, ct).ConfigureAwait(false);
        var position = await session.CommitAsync(ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        return Results.Ok(response);
    }

    /// <summary>
    /// The PUT's core, shared with the data-sharing screen: the session's council agrees (or stops agreeing) to let
    /// <paramref name="otherCouncil"/> see its customers' identity. Validates first (400/404, nothing appended);
    /// the caller commits, so a screen can record several agreements in one transaction.
    /// </summary>
    internal static async Task<Response> SetAsync(EventSession session, ICouncilDirectory directory, string otherCouncil, bool? shareCustomerIdentity,
        CancellationToken ct)
    {
        var council = session.Tenant;
        var v = new Validator();
        v.Require(shareCustomerIdentity is not null, "shareCustomerIdentity", "shareCustomerIdentity (true or false) is required.");
        v.Require(!string.Equals(council, otherCouncil, StringComparison.Ordinal), "otherCouncil", "A council cannot make an agreement with itself.");
        v.ThrowIfInvalid();
        if (!await directory.ExistsAsync(otherCouncil, ct).ConfigureAwait(false)) throw ApiProblemException.NotFound("The other council");

        var changed = new DataSharingChanged(council, otherCouncil, shareCustomerIdentity!.Value);
        var stored = await session.AppendAsync(DataSharingChanged.StreamOf(otherCouncil), ExpectedVersion.Any, [changed], ct: ct).ConfigureAwait(false);
        return new Response(council, otherCouncil, changed.ShareCustomerIdentity, stored[^1].OccurredAt);
    }

    private static async Task<IResult> List(HttpContext http, DataSharing sharing, CancellationToken ct)
    {
        var items = (await sharing.ListAsync(http.Council(), ct).ConfigureAwait(false))
            .Select(a => new Response(a.Council, a.OtherCouncil, a.ShareCustomerIdentity, a.ChangedAt)).ToList();
        return Results.Ok(new { items, next = (string?)null });
    }

    private static async Task<IResult> Get(string otherCouncil, HttpContext http, DataSharing sharing, CancellationToken ct)
    {
        var a = (await sharing.ListAsync(http.Council(), ct).ConfigureAwait(false)).FirstOrDefault(x => x.OtherCouncil == otherCouncil)
            ?? throw ApiProblemException.NotFound("A data-sharing agreement with that council");
        return Results.Ok(new Response(a.Council, a.OtherCouncil, a.ShareCustomerIdentity, a.ChangedAt));
    }
}
