using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sharing = CustomerAccess.Tenancy.ReadModels.DataSharing;

namespace CustomerAccess.Tenancy.Pages.Councils;

/// <summary>
/// GET/POST /admin/councils/{council}/data-sharing: the council's details and which other councils may see its
/// customers' identity, as one set of checkboxes. Saving writes, through the PUT's core
/// (<see cref="SetDataSharing.SetAsync"/>), only the agreements whose answer changed, in one transaction: so sending
/// the form twice records nothing the second time and needs no submission key.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class DataSharingModel(EventStore store, ICouncilDirectory directory) : CouncilAdminPage
{
    [FromRoute(Name = "council")] public string CouncilId { get; set; } = "";
    /// <summary>The councils ticked: those that may see this council's customers' identity.</summary>
    [BindProperty] public List<string> Share { get; set; } = [];

    internal CouncilInfo? Council { get; private set; }
    internal IReadOnlyList<CouncilInfo> Others { get; private set; } = [];
    internal IReadOnlyDictionary<string, Sharing.Agreement> Agreements { get; private set; } = new Dictionary<string, Sharing.Agreement>();
    /// <summary>The other direction, read only: councils whose agreement lets this one see their customers' identity.</summary>
    internal IReadOnlyList<CouncilInfo> SharingWithThis { get; private set; } = [];
    internal string? Done => Request.Query["done"].FirstOrDefault() is { } d && d is "onboarded" or "saved" or "unchanged" ? d : null;
    internal int Changed => int.TryParse(Request.Query["changed"], out var n) && n is > 0 and < 1000 ? n : 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        Share = [.. Agreements.Values.Where(a => a.ShareCustomerIdentity).Select(a => a.OtherCouncil)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        try
        {
            if (Share.Except(Others.Select(o => o.Id), StringComparer.Ordinal).Any())
                throw ApiProblemException.Validation("share", "Choose from the councils listed.");
            await using var session = await store.OpenSessionAsync(Council!.Id, HttpContext.EventContext(), ct);
            // Compared in the writing transaction: no agreement reads as "not shared", as it does for the search.
            var current = (await Sharing.ListAsync(session.Db, ct)).ToDictionary(a => a.OtherCouncil, a => a.ShareCustomerIdentity, StringComparer.Ordinal);
            var changed = 0;
            foreach (var other in Others)
            {
                var wanted = Share.Contains(other.Id, StringComparer.Ordinal);
                if (current.GetValueOrDefault(other.Id) == wanted) continue;
                await SetDataSharing.SetAsync(session, directory, other.Id, wanted, ct);
                changed++;
            }
            if (changed == 0) return LocalRedirect($"/admin/councils/{Council.Id}/data-sharing?done=unchanged");
            await session.CommitAsync(ct);
            return LocalRedirect($"/admin/councils/{Council.Id}/data-sharing?done=saved&changed={changed}");
        }
        catch (ApiProblemException e)
        {
            Show(e, "share");
            return Page();
        }
    }

    /// <summary>False when there is no such council.</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Council = await directory.GetAsync(CouncilId, ct);
        if (Council is null) return false;
        var all = await directory.ListAsync(ct);
        Others = [.. all.Where(c => c.Id != Council.Id).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
        var sharing = Service<Sharing>();
        Agreements = (await sharing.ListAsync(Council.Id, ct)).ToDictionary(a => a.OtherCouncil, StringComparer.Ordinal);
        var sharingWithThis = new List<CouncilInfo>();
        foreach (var other in Others)
        {
            if (await sharing.SharesCustomerIdentityAsync(other.Id, Council.Id, ct)) sharingWithThis.Add(other);
        }
        SharingWithThis = sharingWithThis;
        return true;
    }
}
