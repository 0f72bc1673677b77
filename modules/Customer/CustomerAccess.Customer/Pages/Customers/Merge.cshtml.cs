using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Customer.Pages.Customers;

/// <summary>
/// /councils/{council}/customers/{id}/merge: find the duplicate (search or its id), confirm, then
/// MergeCustomers.MergeAsync as the API; the duplicate's timeline joins this record.
/// </summary>
public sealed class MergeModel : CustomerPage
{
    internal GetCustomer.SingleView? Survivor { get; private set; }
    internal GetCustomer.SingleView? Duplicate { get; private set; }
    internal List<FindCustomers.Match> Matches { get; } = [];
    public string Query { get; private set; } = "";
    public bool Searched { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q, string? duplicateId, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        Query = (q ?? "").Trim();
        await using var tx = await Service<PlatformDatabase>().BeginAsync(Council, ct);
        if (await LoadAsync(tx, CustomerId!, ct) is not { } survivor) return NotFound();
        Survivor = survivor;
        var pick = duplicateId ?? (Guid.TryParse(Query, out _) ? Query : null);
        if (pick is not null && pick != CustomerId) Duplicate = await LoadAsync(tx, pick, ct);
        if (Duplicate is null && Query.Length >= 2)
        {
            Searched = true;
            var rows = (await FindCustomers.SearchAsync(tx, Query, 20, ct)).Where(r => r.Id != CustomerId);
            Matches.AddRange(await FindCustomers.WithAddressesAsync(tx, rows, Service<IAddressBook>(), ct));
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? duplicateId, CancellationToken ct)
    {
        if (await RefuseAsync(write: true) is { } refused) return refused;
        try
        {
            var (_, repeated) = await MergeCustomers.MergeAsync(CustomerId!, duplicateId, HttpContext, Service<EventStore>(), ct, Request.Form[SubmissionKeys.Field]);
            if (repeated) return Redirect(CustomerPath + "?status=merged&" + SubmissionKeys.ReplayedQuery);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        catch (ApiProblemException e) when (ShowErrors(e, new Dictionary<string, string>(), "q"))
        {
            return await OnGetAsync(null, null, ct);
        }
        return Redirect(CustomerPath + "?status=merged");
    }

    private async Task<GetCustomer.SingleView?> LoadAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        try
        {
            return await GetCustomer.LoadAsync(tx, id, Service<IAddressBook>(), ct);
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    internal static string Describe(GetCustomer.SingleView c) => string.Join(" · ", new[]
    {
        c.Email, c.Phone, c.Address is null ? null : string.Join(", ", c.Address.Lines) + ", " + c.Address.Postcode,
        c.ContactCount + (c.ContactCount == 1 ? " contact" : " contacts"),
    }.OfType<string>());
}
