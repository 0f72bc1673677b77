using CustomerAccess.Bookings.Domain;
using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings;

/// <summary>
/// /councils/{council}/waste/bulky-collections/new?customerId=&amp;uprn=: the bulky-waste booking wizard.
/// Step 1 (address, items, collection day) posts to "Check", which validates and shows the answers to
/// confirm (carried in hidden fields); "Confirm" books exactly as POST /waste/bulky-collections does
/// and redirects to the collection, which shows the payment due.
/// </summary>
[Authorize(Policy = Policies.Casework)]
public sealed class BulkyNewModel(PlatformDatabase db, EventStore store, IMediator mediator, ICouncilDirectory directory, BookingsOptions options,
    TimeProvider time) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Uprn { get; set; }
    [BindProperty] public string? Items { get; set; }
    [BindProperty] public string? SlotId { get; set; }
    /// <summary>Issued with the check-answers step, so a second click on Confirm holds no second day.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    internal IReadOnlyList<Features.Resources.SlotItem> Slots { get; private set; } = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    internal bool Confirming { get; private set; }

    internal List<string> ItemList => (Items ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private BulkyCollections.Request Body => new(CustomerId, Uprn, ItemList, SlotId, IdempotencyKey);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        await LoadAsync(ct);
        var v = BulkyCollections.Validate(Body);
        v.Require(SlotId is null || Slots.Any(s => s.SlotId == SlotId && s.Remaining > 0), "slotId", "Choose a collection day that still has room.");
        try
        {
            v.ThrowIfInvalid();
            await BulkyCollections.RequireAddressAsync(mediator, Council, BulkyCollections.Clean(Body).Uprn!, ct);
            Confirming = true;
            IdempotencyKey = Guid.NewGuid().ToString();
        }
        catch (ApiProblemException e)
        {
            Errors = BookingsUi.ErrorsOf(e);
            Response.StatusCode = 400;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: true, ct) is { } refused) return refused;
        try
        {
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            var (booked, _) = await BulkyCollections.BookOrRepeatAsync(session, mediator, directory, Body, options, time.GetUtcNow(), ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/waste/bulky-collections/{booked.Id}?done=booked");
        }
        catch (ApiProblemException e)
        {
            Errors = BookingsUi.ErrorsOf(e);
            if (e.Status == 409) Errors = new() { ["slotId"] = [e.Detail ?? "That day is full. Choose another."] };
            Response.StatusCode = e.Status;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(Council, ct);
        var now = time.GetUtcNow();
        var today = SlotCalendar.Today(now);
        var slots = new List<Features.Resources.SlotItem>();
        foreach (var r in await BookingStore.ResourcesAsync(tx, ResourceTypes.BulkyWaste, ct))
            slots.AddRange(await Features.Resources.SlotsAsync(tx, r, today, today.AddDays(27), now, ct));
        Slots = slots.OrderBy(s => s.Start).ToList();
    }
}
