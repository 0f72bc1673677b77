using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Bookings.Pages.Bookings;

/// <summary>/councils/{council}/waste/bulky-collections/{id}: where the collection has got to, and the payment due.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class BulkyModel(PlatformDatabase db) : PageModel
{
    [FromRoute] public string Council { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";
    internal BulkyCollections.View? Collection { get; private set; }
    internal string? Done => Request.Query["done"].FirstOrDefault();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await BookingsUi.RefuseAsync(this, Council, write: false, ct) is { } refused) return refused;
        await using var tx = await db.BeginAsync(Council, ct);
        Collection = await BulkyCollections.FindAsync(tx, Id, ct);
        return Collection is null ? NotFound() : Page();
    }
}
