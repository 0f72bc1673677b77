using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Tenancy.Pages.Councils;

/// <summary>GET /admin/councils: every partner council (the directory GET /api/councils reads), each linking to its data sharing.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(ICouncilDirectory directory) : CouncilAdminPage
{
    internal IReadOnlyList<CouncilInfo> Councils { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Councils = [.. (await directory.ListAsync(ct)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
        return Page();
    }
}
