using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages;

/// <summary>
/// What the Waste administration screens (/admin/waste/..., /admin/open311/...) share: partnership admins
/// only, acting for the council chosen in the header (so the header's switcher moves every admin screen to
/// another council). Each form carries the council it was rendered for: a post for another council than the
/// header now serves (switched in another tab) changes nothing and says so.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public abstract class WasteAdminPage : WastePage
{
    /// <summary>The council the form was rendered for (hidden field).</summary>
    [BindProperty] public string? FormCouncil { get; set; }

    /// <summary>Null when the header names a council (set in <see cref="WastePage.CouncilInfo"/>); else the 403 to answer.</summary>
    protected async Task<IActionResult?> HeaderCouncilAsync(CancellationToken ct) =>
        await CurrentCouncilAsync(ct) is null ? StatusCode(403) : null;

    /// <summary>Throws the 409 shown in the error summary when the form was for another council than the header's.</summary>
    protected void EnsureFormIsForThisCouncil()
    {
        if (FormCouncil != CouncilInfo!.Id)
            throw ApiProblemException.Conflict(
                $"This form was for another council than {CouncilInfo.Name}, which the header now shows (switched in another tab?). Nothing was changed: check the form and send it again.");
    }
}
