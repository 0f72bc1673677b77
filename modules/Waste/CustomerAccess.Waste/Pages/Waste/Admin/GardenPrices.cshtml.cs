using System.Globalization;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste.Admin;

/// <summary>
/// GET/POST /admin/waste/garden-prices: the header council's garden waste prices by season, and a form to set
/// one (<see cref="GardenPrices.SetAsync"/>, PUT /waste/garden-prices/{season}'s core). The price is asked in
/// pounds, as the council says it, and sent on as whole pence.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class GardenPricesModel(PlatformDatabase db, EventStore store) : WasteAdminPage
{
    [BindProperty] public string? Season { get; set; }
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string? MaxBins { get; set; }

    internal IReadOnlyList<GardenPrices.PriceView> Prices { get; private set; } = [];
    internal int CurrentSeason { get; private set; }
    internal string? Saved => Request.Query["saved"].FirstOrDefault() is { } s && GardenSeasons.Parse(s) is int year ? GardenSeasons.Name(year) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await LoadAsync(ct);
        Season ??= GardenSeasons.Name(CurrentSeason + 1);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        try
        {
            EnsureFormIsForThisCouncil();
            var request = new GardenPrices.Request(Pence(Price), Bins(MaxBins));
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            var result = await GardenPrices.SetAsync(session, Season ?? "", request, ct);
            if (result.Changed) await session.CommitAsync(ct);
            return LocalRedirect("/admin/waste/garden-prices?saved=" + Uri.EscapeDataString(result.Price.FromSeason));
        }
        catch (ApiProblemException e)
        {
            Show(e);
            if (Errors.Remove("pricePerBinPence", out var price)) Errors["price"] = price;
            await LoadAsync(ct);
            return Page();
        }
    }

    /// <summary>Pounds (£48, 48.50) as whole pence; anything else is the API's price error.</summary>
    internal static long? Pence(string? pounds)
    {
        var text = pounds?.Trim().TrimStart('£');
        if (string.IsNullOrEmpty(text)) return null;
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p * 100 == decimal.Truncate(p * 100) && p <= long.MaxValue / 100
            ? (long)(p * 100)
            : throw ApiProblemException.Validation("pricePerBinPence", "Give the price per bin in pounds and pence, like 48.00.");
    }

    private static int? Bins(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw ApiProblemException.Validation("maxBins", "Give the most bins a property may have as a number, like 5.");

    private async Task LoadAsync(CancellationToken ct)
    {
        CurrentSeason = GardenSeasons.Of(CollectionCalendar.LocalDate(Clock.UtcNow));
        await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
        Prices = await GardenPrices.ListAsync(tx, ct);
    }
}
