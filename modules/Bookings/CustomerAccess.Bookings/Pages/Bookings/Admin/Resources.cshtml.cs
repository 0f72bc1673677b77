using System.Globalization;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings.Admin;

/// <summary>/admin/bookings/resources: the header council's bookable resources, each linking to its settings (partnership admins).</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class AdminResourcesModel(PlatformDatabase db) : PageModel
{
    internal CouncilInfo? Council { get; private set; }
    internal IReadOnlyList<Resource> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Council = await BookingsUi.CurrentCouncilAsync(HttpContext, ct);
        if (Council is null) return StatusCode(403);
        await using var tx = await db.BeginAsync(Council.Id, ct);
        Items = await BookingStore.ResourcesAsync(tx, null, ct);
        return Page();
    }
}

/// <summary>
/// What adding (/admin/bookings/resources/new) and changing (/admin/bookings/resources/{id}) a resource share:
/// the header's council, the form's fields as PUT /resources/{id} takes them, and saving through
/// <see cref="ConfigureResource.ConfigureAsync"/> (the API's core), with its refusals in the error summary.
/// The form carries the council it was for; a post after the header switched council changes nothing.
/// </summary>
public abstract class ResourceFormModel(EventStore store) : PageModel
{
    [BindProperty] public string? FormCouncil { get; set; }
    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string? Capacity { get; set; }
    [BindProperty] public List<int> Weekdays { get; set; } = [];
    [BindProperty] public string? Starts { get; set; }
    [BindProperty] public string? SlotMinutes { get; set; }

    internal CouncilInfo? Council { get; private set; }
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    internal abstract bool Adding { get; }

    internal string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;
    internal string GroupClass(string field) => "govuk-form-group" + (ErrorFor(field) is null ? "" : " govuk-form-group--error");
    internal string Title(string title) => Errors.Count > 0 ? "Error: " + title : title;

    protected async Task<IActionResult?> HeaderCouncilAsync(CancellationToken ct)
    {
        Council = await BookingsUi.CurrentCouncilAsync(HttpContext, ct);
        return Council is null ? StatusCode(403) : null;
    }

    /// <summary>Fills the form from a stored resource.</summary>
    internal void Fill(Resource r)
    {
        Type = r.Type;
        Name = r.Name;
        Price = (r.PricePence / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        Capacity = r.Capacity.ToString(CultureInfo.InvariantCulture);
        Weekdays = [.. r.Weekdays];
        Starts = string.Join(", ", r.Starts);
        SlotMinutes = r.SlotMinutes?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Saves <paramref name="id"/> as the form describes; null when saved, else the page showing why not.</summary>
    protected async Task<IActionResult?> SaveAsync(string id, Func<TenantTransaction, Task>? check, CancellationToken ct)
    {
        try
        {
            if (FormCouncil != Council!.Id)
                throw ApiProblemException.Conflict(
                    $"This form was for another council than {Council.Name}, which the header now shows (switched in another tab?). Nothing was changed: check the form and send it again.");
            var request = new ConfigureResource.Request(Type, Name, Pence(Price), Number(Capacity, "capacity"), [.. Weekdays],
                string.IsNullOrWhiteSpace(Starts) ? [] : Starts.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries), Number(SlotMinutes, "slotMinutes"));
            await using var session = await store.OpenSessionAsync(Council.Id, HttpContext.EventContext(), ct);
            if (check is not null) await check(session.Db);
            var result = await ConfigureResource.ConfigureAsync(session, id, request, ct);
            if (result.Changed) await session.CommitAsync(ct);
            return null;
        }
        catch (ApiProblemException e)
        {
            Errors = BookingsUi.ErrorsOf(e);
            if (Errors.Remove("pricePence", out var price)) Errors["price"] = price;
            Response.StatusCode = e.Status;
            return Page();
        }
    }

    /// <summary>Pounds (45, 45.50) as whole pence; empty is free.</summary>
    private static long? Pence(string? pounds)
    {
        var text = pounds?.Trim().TrimStart('£');
        if (string.IsNullOrEmpty(text)) return null;
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p * 100 == decimal.Truncate(p * 100) && p <= ConfigureResource.MaxPricePence
            ? (long)(p * 100)
            : throw ApiProblemException.Validation("pricePence", "Give the price in pounds and pence, like 45.00 (0 for free).");
    }

    private static int? Number(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw ApiProblemException.Validation(field, "Give a whole number.");
}

/// <summary>GET/POST /admin/bookings/resources/new: add a resource to the header council (an id in use is refused: change it on its own page).</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class NewResourceModel(EventStore store) : ResourceFormModel(store)
{
    [BindProperty] public string? Id { get; set; }
    internal override bool Adding => true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        Capacity = "1";
        SlotMinutes = "60";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        var id = Id?.Trim() ?? "";
        return await SaveAsync(id, async tx =>
        {
            // This form adds: an id in use would quietly change that resource.
            if (await BookingStore.ResourceAsync(tx, id, ct) is not null)
                throw ApiProblemException.Validation("id", "There is already a resource with this id: change it on its own page, or choose another id.");
        }, ct) ?? LocalRedirect($"/admin/bookings/resources/{id}?done=created");
    }
}

/// <summary>GET/POST /admin/bookings/resources/{id}: change a resource's name, price, capacity and opening rules (its type stays).</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class EditResourceModel(PlatformDatabase db, EventStore store) : ResourceFormModel(store)
{
    [FromRoute] public string Id { get; set; } = "";
    internal override bool Adding => false;
    internal string? Done => Request.Query["done"].FirstOrDefault() is var d && d is "created" or "saved" ? d : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await using var tx = await db.BeginAsync(Council!.Id, ct);
        if (await BookingStore.ResourceAsync(tx, Id, ct) is not { } resource) return NotFound();
        Fill(resource);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await using (var tx = await db.BeginAsync(Council!.Id, ct))
        {
            if (await BookingStore.ResourceAsync(tx, Id, ct) is not { } resource) return NotFound();
            Type = resource.Type; // not on the form: it cannot change
        }
        return await SaveAsync(Id, null, ct) ?? LocalRedirect($"/admin/bookings/resources/{Id}?done=saved");
    }
}

/// <summary>ISO weekdays as the forms show them.</summary>
internal static class ResourceForm
{
    public static readonly IReadOnlyList<(int Day, string Name)> Weekdays =
        [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday"), (6, "Saturday"), (7, "Sunday")];

    public static string DayName(int day) => Weekdays.FirstOrDefault(d => d.Day == day).Name ?? day.ToString(CultureInfo.InvariantCulture);
}
