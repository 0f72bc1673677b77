using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Payments.Pages.Payments;

/// <summary>
/// /payments/new and /payments/cash-up (the header navigation): the same screen for the council being served
/// (ICurrentCouncil: the council cookie, never a council the user does not serve), query string kept.
/// </summary>
[Authorize(Policy = Policies.Payments)]
public sealed class GoModel(ICurrentCouncil current) : PageModel
{
    [FromRoute] public string Screen { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Screen is not ("new" or "cash-up")) return NotFound();
        var council = await current.CurrentAsync(ct);
        if (council is null) return StatusCode(403);
        return LocalRedirect($"/councils/{council.Id}/payments/{Screen}{Request.QueryString}");
    }
}
