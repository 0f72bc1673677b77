using CustomerAccess.Case.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Case.Pages.Cases;

/// <summary>GET /cases/mine: an elected member's casework (their member enquiries) and where each stands.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class MineModel(PlatformDatabase db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    internal CouncilInfo? Council { get; private set; }
    internal CaseList? Cases { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Council = await CaseUi.CurrentCouncilAsync(HttpContext, ct);
        if (Council is not null)
        {
            try
            {
                Cases = await CaseLists.MemberCasesAsync(db, Council.Id, User, 50, Cursor, time, ct);
            }
            catch (ApiProblemException)
            {
                return BadRequest();
            }
        }
        return Page();
    }
}
