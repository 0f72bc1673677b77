using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// GET /customers?q=: the search behind "Find a customer", for the council being served. A full page
/// without JavaScript; with ?fragment=results (htmx, as the advisor types) only the results. Below the
/// council's own customers, for roles that may see them, a section per council that shares customer
/// identity with it ("Known at ..."), each match with a link to register them here from those details.
/// </summary>
public sealed class IndexModel : CustomerPage
{
    public string Query { get; private set; } = "";
    public CouncilInfo? Serving { get; private set; }
    internal List<FindCustomers.Match> Matches { get; } = [];
    internal List<SharedIdentity.SharedMatch> SharedMatches { get; } = [];
    public bool Searched { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q, string? fragment, CancellationToken ct)
    {
        Query = (q ?? "").Trim();
        Serving = await Service<ICurrentCouncil>().CurrentAsync(ct);
        if (Serving is not null && Query.Length >= 2 && Query.Length <= 200)
        {
            Searched = true;
            await using (var tx = await Service<PlatformDatabase>().BeginAsync(Serving.Id, ct))
            {
                Matches.AddRange(await FindCustomers.WithAddressesAsync(tx, await FindCustomers.SearchAsync(tx, Query, 20, ct),
                    Service<IAddressBook>(), ct));
                await tx.CommitAsync(ct);
            }
            if (await SharedIdentity.MaySeeAsync(HttpContext))
                SharedMatches.AddRange(await SharedIdentity.SearchAsync(Serving.Id, Query, HttpContext.RequestServices, ct));
        }
        return fragment == "results" ? Partial("_SearchResults", this) : Page();
    }
}
