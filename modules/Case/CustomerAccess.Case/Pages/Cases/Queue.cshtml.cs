using CustomerAccess.Case.Domain;
using CustomerAccess.Case.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Case.Pages.Cases;

/// <summary>GET /cases/queue?team=: a service team's open cases, soonest due first, overdue ones marked.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class QueueModel(PlatformDatabase db, IAuthorizationService authorization, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Team { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    internal CouncilInfo? Council { get; private set; }
    internal CaseList? Queue { get; private set; }
    internal bool Allowed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Council = await CaseUi.CurrentCouncilAsync(HttpContext, ct);
        Allowed = (await authorization.AuthorizeAsync(User, Policies.ServiceTeam)).Succeeded;
        if (!Allowed) Response.StatusCode = 403;
        Team ??= User.FindFirst(AccessClaims.Team)?.Value ?? "waste";
        if (!Teams.All.Contains(Team)) return NotFound();
        if (Council is not null && Allowed)
        {
            try
            {
                Queue = await CaseLists.QueueAsync(db, Council.Id, Team, User, 50, Cursor, time, ct);
            }
            catch (ApiProblemException)
            {
                return BadRequest();
            }
        }
        return Page();
    }
}

