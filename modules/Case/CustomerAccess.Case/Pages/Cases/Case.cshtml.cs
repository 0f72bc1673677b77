using CustomerAccess.Case.Domain;
using CustomerAccess.Case.Features;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Case.Pages.Cases;

/// <summary>
/// /councils/{council}/cases/{id}: the case, its history and what can be done next (note,
/// escalate, start, resolve, reopen). Each action is a plain form POST, then a redirect back.
/// A case the user may not see is a 404, as in the API.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class CaseModel(EventStore store, ICouncilDirectory directory, IAuthorizationService authorization, TimeProvider time) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? Team { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Concern { get; set; }
    /// <summary>Issued with each form (SubmissionKeys): a form sent twice acts once.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal CouncilInfo? CouncilInfo { get; private set; }
    internal GetCase.CaseView? Case { get; private set; }
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    internal string? Failed { get; private set; }
    internal bool CanWork { get; private set; }
    internal string? Done => Request.Query["done"].FirstOrDefault();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostNoteAsync(CancellationToken ct) =>
        ActAsync("note", "noted", (s, c) => AddNote.DecideAsync(s, Id, new AddNote.Request(Text), User, c), ct);

    public Task<IActionResult> OnPostEscalateAsync(CancellationToken ct) =>
        ActAsync("escalate", "escalated", (s, c) => EscalateCase.DecideAsync(s, Id, new EscalateCase.Request(Team, Reason), User, c), ct);

    public Task<IActionResult> OnPostStartAsync(CancellationToken ct) =>
        ActAsync("start", "started", (s, c) => StartCase.DecideAsync(s, Id, User, c), ct);

    public Task<IActionResult> OnPostResolveAsync(CancellationToken ct) =>
        ActAsync("resolve", "resolved", (s, c) => ResolveCase.DecideAsync(s, Id, new ResolveCase.Request(Outcome), User, time.GetUtcNow(), c), ct);

    public Task<IActionResult> OnPostReopenAsync(CancellationToken ct) =>
        ActAsync("reopen", "reopened", (s, c) => ReopenCase.DecideAsync(s, CouncilInfo!, Id, new ReopenCase.Request(Reason), User, time.GetUtcNow(), c), ct);

    public Task<IActionResult> OnPostStage2Async(CancellationToken ct) =>
        ActAsync("stage2", "stage2", (s, c) => ComplaintStage2.DecideAsync(s, CouncilInfo!, Id, new ComplaintStage2.Request(Reason), User, time.GetUtcNow(), c), ct);

    /// <summary>
    /// A safeguarding concern takes the case out of sight of everyone but the safeguarding team, so
    /// unless the user is one of those who may see it, they land on the raise form with a confirmation.
    /// </summary>
    public async Task<IActionResult> OnPostSafeguardingAsync(CancellationToken ct)
    {
        var result = await ActAsync("safeguarding", "flagged",
            (s, c) => FlagSafeguarding.DecideAsync(s, Id, new FlagSafeguarding.Request(Concern, Reason), User, c), ct);
        return result is LocalRedirectResult && !SafeguardingConcerns.MaySee(User)
            ? LocalRedirect($"/cases/new?flagged={Uri.EscapeDataString(Case!.Reference)}")
            : result;
    }

    private async Task<IActionResult> ActAsync(string action, string done, Func<EventSession, CancellationToken, Task<CaseState>> decide, CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!CanWork) return Forbid();
        try
        {
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            // The form's key: sent again (double click, back and resubmit, a retry) it records nothing and
            // shows the case as the first one left it.
            var submission = CaseAccess.Submission.For(IdempotencyKey, "case." + action, Id, CaseAccess.Clean(Text), Team, CaseAccess.Clean(Reason),
                CaseAccess.Clean(Outcome), Concern);
            if (await CaseAccess.ClaimAsync(session, submission, ct) is not null)
                return LocalRedirect($"/councils/{Council}/cases/{Id}?done={done}&{SubmissionKeys.ReplayedQuery}");
            await decide(session, ct);
            await session.CompleteSubmissionAsync(Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/cases/{Id}?done={done}");
        }
        catch (ApiProblemException e) when (e.Status != 404)
        {
            Errors = CaseUi.ErrorsOf(e);
            Failed = action;
            Response.StatusCode = e.Status;
            return Page();
        }
        catch (ApiProblemException)
        {
            return NotFound();
        }
        catch (ConcurrencyException)
        {
            Errors = new() { [""] = ["Someone else changed this case at the same time. Check its history and try again."] };
            Response.StatusCode = 409;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        CouncilInfo = await CaseUi.RouteCouncilAsync(HttpContext, directory, Council, ct);
        if (CouncilInfo is null) return false;
        try
        {
            Case = await GetCase.LoadAsync(store, Council, Id, User, time, ct);
        }
        catch (ApiProblemException e) when (e.Status == 404)
        {
            return false;
        }
        CanWork = (await authorization.AuthorizeAsync(User, Policies.Casework)).Succeeded;
        return true;
    }
}
