using CustomerAccess.Bookings.Domain;
using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings;

/// <summary>/bookings: the council chosen in the header's bookable resources (redirects to /councils/{council}/bookings).</summary>
[Authorize(Policy = Policies.Read)]
public sealed class HeaderCouncilModel : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? customerId, CancellationToken ct)
    {
        var council = await BookingsUi.CurrentCouncilAsync(HttpContext, ct);
        if (council is null) return StatusCode(403);
        return LocalRedirect($"/councils/{council.Id}/bookings" + (string.IsNullOrEmpty(customerId) ? "" : "?customerId=" + Uri.EscapeDataString(customerId)));
    }
}

/// <summary>
/// /councils/{council}/bookings?reference=: what can be booked, with a link to each one's calendar, and
/// "Find a booking by reference" for a reference a resident reads out (the lookup GET /bookings?reference= makes).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class ResourcesModel(PlatformDatabase db, ICouncilDirectory directory, BookingsOptions options) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Reference { get; set; }
    internal IReadOnlyList<Resource> Items { get; private set; } = [];
    /// <summary>The council's reference prefix, for the hint's example.</summary>
    internal string Prefix { get; private set; } = "";
    /// <summary>The reference looked up (trimmed, in capitals) and what it found; null when none was asked for.</summary>
    internal string? Searched { get; private set; }
    internal IReadOnlyList<Features.Bookings.View>? Found { get; private set; }
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: false, ct) is { } refused) return refused;
        Prefix = (await directory.RequireAsync(Council, ct)).ReferencePrefix;
        await using var tx = await db.BeginAsync(Council, ct);
        Items = await BookingStore.ResourcesAsync(tx, null, ct);
        // The box was sent (even empty): an empty one is a mistake to point out, not the plain resources page.
        if (Request.Query.ContainsKey("reference"))
        {
            try
            {
                Searched = Features.Bookings.CheckReference(Reference);
                Found = await Features.Bookings.FindByReferenceAsync(tx, Searched, options, ct);
            }
            catch (ApiProblemException e)
            {
                Errors = BookingsUi.ErrorsOf(e);
                Response.StatusCode = e.Status;
            }
        }
        return Page();
    }
}

/// <summary>/councils/{council}/bookings/resources/{id}?from=: a resource's availability, 14 days at a time.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class CalendarModel(PlatformDatabase db, TimeProvider time) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    internal Resource? Resource { get; private set; }
    internal DateOnly Start { get; private set; }
    internal IReadOnlyList<Resources.SlotItem> Slots { get; private set; } = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: false, ct) is { } refused) return refused;
        await using var tx = await db.BeginAsync(Council, ct);
        Resource = await BookingStore.ResourceAsync(tx, Id, ct);
        if (Resource is null) return NotFound();
        var now = time.GetUtcNow();
        try
        {
            var (from, to) = Features.Resources.Range(From, null, now);
            Start = from;
            Slots = await Features.Resources.SlotsAsync(tx, Resource, from, to, now, ct);
        }
        catch (ApiProblemException e)
        {
            Errors = BookingsUi.ErrorsOf(e);
            Start = SlotCalendar.Today(now);
            Response.StatusCode = 400;
        }
        return Page();
    }
}
