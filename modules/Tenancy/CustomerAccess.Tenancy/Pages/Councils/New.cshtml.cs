using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Tenancy.Pages.Councils;

/// <summary>
/// GET/POST /admin/councils/new: onboards a partner council with POST /api/councils's rules
/// (<see cref="OnboardCouncil.OnboardOnceAsync"/>), then opens its data-sharing page. The form's submission key
/// makes a second click onboard once and go to the same council (?replayed=1) rather than say "already exists".
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class NewModel(EventStore store, PlatformDatabase db, ICouncilDirectory directory) : CouncilAdminPage
{
    [BindProperty] public string? Id { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? ContactNumber { get; set; }
    [BindProperty] public string? ReceiptPrefix { get; set; }
    /// <summary>Issued with the form (SubmissionKeys).</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // An empty prefix is "choose one for me", as a request without the field is.
        var request = new OnboardCouncil.Request(Id, Name, ContactNumber, null, null, string.IsNullOrWhiteSpace(ReceiptPrefix) ? null : ReceiptPrefix);
        try
        {
            var (council, replayed) = await OnboardCouncil.OnboardOnceAsync(store, db, directory, request, IdempotencyKey, HttpContext.EventContext(), ct);
            return LocalRedirect($"/admin/councils/{council}/data-sharing?" + (replayed ? SubmissionKeys.ReplayedQuery : "done=onboarded"));
        }
        catch (ApiProblemException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // A 409 is the id or the asked-for receipt prefix being taken: put it on that field.
            Show(e, await directory.ExistsAsync(Id?.Trim() ?? "", ct) ? "id" : "receiptPrefix");
            return Page();
        }
        catch (ApiProblemException e)
        {
            Show(e);
            return Page();
        }
    }
}
