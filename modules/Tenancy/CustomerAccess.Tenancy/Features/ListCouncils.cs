using System.Security.Claims;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Tenancy.Features;

/// <summary>GET /api/councils: the councils the caller may act for; GET /api/councils/{council}: one, in full.</summary>
internal static class ListCouncils
{
    internal sealed record CouncilSummary(string Id, string Name, string ContactNumber);

    internal sealed record CouncilDetail(string Id, string Name, string ContactNumber, IReadOnlyList<string> ServiceThemes,
        IReadOnlyDictionary<string, int> DaysToResolve, IReadOnlyList<DateOnly> BankHolidays, string ReceiptPrefix);

    public static void Map(IEndpointRouteBuilder api, RouteGroupBuilder council)
    {
        api.MapGet("/api/councils", Handle).RequireAuthorization(Policies.Read).WithName("ListCouncils");
        council.MapGet("", Get).RequireAuthorization(Policies.Read).WithName("GetCouncil");
    }

    internal static async Task<IResult> Handle(ClaimsPrincipal user, ICouncilDirectory directory, CancellationToken ct)
    {
        var councils = await directory.ListAsync(ct).ConfigureAwait(false);
        var items = councils.Where(c => user.Serves(c.Id)).Select(c => new CouncilSummary(c.Id, c.Name, c.ContactNumber)).ToList();
        return Results.Ok(new { items, next = (string?)null });
    }

    private static async Task<IResult> Get(HttpContext http, ICouncilDirectory directory, CancellationToken ct)
    {
        var c = await directory.RequireAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(new CouncilDetail(c.Id, c.Name, c.ContactNumber, c.ServiceThemes, c.DaysToResolve, c.BankHolidays, c.ReceiptPrefix));
    }
}
