using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste;

/// <summary>
/// GET /councils/{council}/waste/bin-days?uprn=: a property's next collection per container and the
/// link to its public iCalendar feed. The results are in one element with id "bin-days", so another
/// screen can show them in place (htmx hx-get with hx-select="#bin-days") or simply link here.
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class BinDaysModel(EventStore store, ICouncilDirectory directory) : WastePage
{
    [FromRoute] public string Council { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Uprn { get; set; }

    internal IReadOnlyList<GetCollections.NextCollection>? Collections { get; private set; }
    internal long? Property { get; private set; }
    internal string FeedUrl => $"/api/councils/{Council}/waste/collections.ics?uprn={Property}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(Council, Policies.Read) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(Uprn)) return Page();
        try
        {
            Property = Rounds.ParseUprn(Uprn);
            Collections = await GetCollections.NextAsync(store, directory, Clock, Council, Property.Value, ct);
        }
        catch (ApiProblemException e) when (e.Status == 404)
        {
            Show(new ApiProblemException(404, "Not found", e.Detail)
            {
                Errors = new Dictionary<string, string[]> { ["uprn"] = ["This property is not on any collection round of this council."] },
            });
        }
        catch (ApiProblemException e)
        {
            Show(e);
        }
        return Page();
    }
}
