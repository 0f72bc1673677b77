using CustomerAccess.Case.Features;
using CustomerAccess.Case.Knowledge;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Case.Pages.Cases;

/// <summary>
/// GET/POST /cases/new: raise a case for a customer of the council being served, with the
/// knowledge base's articles and call scripts for the chosen service beside the form.
/// (Razor needs page models public; everything they expose beyond form fields is internal.)
/// </summary>
[Authorize(Policy = Policies.Casework)]
public sealed class NewModel(EventStore store, PlatformDatabase db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Service { get; set; }
    [BindProperty] public string? Summary { get; set; }
    [BindProperty] public string? Details { get; set; }
    [BindProperty] public string? Safeguarding { get; set; }
    [BindProperty] public bool ResolvedAtFirstContact { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Member { get; set; }
    /// <summary>Issued with the form (SubmissionKeys): sending it twice raises one case.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal CouncilInfo? Council { get; private set; }
    internal IReadOnlyList<KnowledgeArticle> Knowledge { get; private set; } = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    internal bool IsMember => User.IsInRole(Roles.Member);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Council is null) return Page();
        try
        {
            await using var session = await store.OpenSessionAsync(Council.Id, HttpContext.EventContext(), ct);
            var raised = await RaiseCase.DecideAsync(session, Council,
                new RaiseCase.Request(CustomerId, Type, Service, Summary, Details, string.IsNullOrEmpty(Safeguarding) ? null : Safeguarding,
                    ResolvedAtFirstContact, Outcome, Member, IdempotencyKey), User, time.GetUtcNow(), ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council.Id}/cases/{raised.Id}?done=raised" + (raised.Repeated ? "&" + SubmissionKeys.ReplayedQuery : ""));
        }
        catch (ApiProblemException e)
        {
            Errors = CaseUi.ErrorsOf(e);
            Response.StatusCode = e.Status;
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Council = await CaseUi.CurrentCouncilAsync(HttpContext, ct);
        if (Council is not null && !string.IsNullOrEmpty(Service) && CaseUi.Services.Any(s => s.Id == Service))
            Knowledge = await KnowledgeArticles.FindAsync(db, Council.Id, Service, null, ct);
    }
}
