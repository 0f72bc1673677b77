using CustomerAccess.Bookings.Domain;
using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings;

/// <summary>
/// /councils/{council}/bookings/new?customerId=&amp;resourceId=&amp;slotId=: book a pitch, pavilion or room
/// for a customer (linked from the single view). Choose the resource, then a free slot of the next 14
/// days; the POST books it exactly as POST /bookings does and redirects to the booking.
/// </summary>
[Authorize(Policy = Policies.Casework)]
public sealed class NewModel(PlatformDatabase db, EventStore store, ICouncilDirectory directory, BookingsOptions options, TimeProvider time) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    /// <summary>Issued with the form (SubmissionKeys): sending it twice books one place.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? ResourceId { get; set; }
    [BindProperty(SupportsGet = true)] public string? SlotId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    internal IReadOnlyList<Resource> Choices { get; private set; } = [];
    internal Resource? Resource { get; private set; }
    internal IReadOnlyList<Features.Resources.SlotItem> Slots { get; private set; } = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        var redirect = await LoadAsync(ct);
        return redirect ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        try
        {
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            // The form's key is the booking's own idempotency key (the API's): sent twice, one place is taken.
            var (view, created) = await Features.Bookings.MakeAsync(session, directory, new Features.Bookings.Request(CustomerId, SlotId,
                string.IsNullOrWhiteSpace(IdempotencyKey) ? null : IdempotencyKey.Trim()), options, time.GetUtcNow(), ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/bookings/{view.Id}?done=booked" + (created ? "" : "&" + SubmissionKeys.ReplayedQuery));
        }
        catch (ApiProblemException e)
        {
            Errors = BookingsUi.ErrorsOf(e);
            if (e.Status == 409) Errors = new() { ["slotId"] = [e.Detail ?? "That slot is full. Choose another."] };
            Response.StatusCode = e.Status;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(Council, ct);
        Choices = (await BookingStore.ResourcesAsync(tx, null, ct)).Where(r => r.Type != ResourceTypes.BulkyWaste).ToList();
        if (string.IsNullOrEmpty(ResourceId)) return null;
        Resource = await BookingStore.ResourceAsync(tx, ResourceId, ct);
        if (Resource is null)
        {
            Errors.TryAdd("resourceId", ["Choose what to book."]);
            return null;
        }
        if (Resource.Type == ResourceTypes.BulkyWaste)
            return LocalRedirect($"/councils/{Council}/waste/bulky-collections/new?customerId={Uri.EscapeDataString(CustomerId ?? "")}");
        var now = time.GetUtcNow();
        try
        {
            var (from, to) = Features.Resources.Range(From, null, now);
            Slots = await Features.Resources.SlotsAsync(tx, Resource, from, to, now, ct);
        }
        catch (ApiProblemException e)
        {
            foreach (var (k, v) in BookingsUi.ErrorsOf(e)) Errors.TryAdd(k, v);
        }
        return null;
    }
}
