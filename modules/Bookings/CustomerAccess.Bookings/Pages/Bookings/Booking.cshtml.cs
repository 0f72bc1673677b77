using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings;

/// <summary>/councils/{council}/bookings/{id}: the booking, the payment due (link to the payments screen) and cancelling it.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class BookingModel(PlatformDatabase db, EventStore store, BookingsOptions options, TimeProvider time) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    /// <summary>Issued with the form (SubmissionKeys): sending it twice cancels once.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    [FromRoute] public string Id { get; set; } = "";
    internal Features.Bookings.View? Booking { get; private set; }
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    internal string? Done => Request.Query["done"].FirstOrDefault();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: false, ct) is { } refused) return refused;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        try
        {
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            // Sent twice, the cancel form cancels once and the second is not "already cancelled".
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "bookings.cancel", SubmissionKeys.Fingerprint(Id), ct) is not null)
                return LocalRedirect($"/councils/{Council}/bookings/{Id}?done=cancelled&{SubmissionKeys.ReplayedQuery}");
            await Features.Bookings.CancelAsync(session, Id, options, time.GetUtcNow(), ct);
            await session.CompleteSubmissionAsync(Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/bookings/{Id}?done=cancelled");
        }
        catch (ApiProblemException e) when (e.Status != 404)
        {
            Errors = BookingsUi.ErrorsOf(e);
            Response.StatusCode = e.Status;
            return await LoadAsync(ct) ? Page() : NotFound();
        }
        catch (ApiProblemException)
        {
            return NotFound();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(Council, ct);
        Booking = await Features.Bookings.FindAsync(tx, Id, options, ct);
        return Booking is not null;
    }
}
