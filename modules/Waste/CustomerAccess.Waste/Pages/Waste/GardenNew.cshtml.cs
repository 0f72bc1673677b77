using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste;

/// <summary>
/// GET/POST /councils/{council}/waste/garden-subscriptions/new?customerId=&amp;uprn=: take a garden
/// waste subscription for this season or the next, showing the council's price per bin and the
/// property's existing subscriptions. The same rules as the API (GardenSubscriptions.SubscribeAsync);
/// on success it redirects to the subscription, which shows the payment due.
/// </summary>
[Authorize(Policy = Policies.Casework)]
public sealed class GardenNewModel(EventStore store, PlatformDatabase db) : WastePage
{
    [FromRoute] public string Council { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Uprn { get; set; }
    [BindProperty] public int? Bins { get; set; }
    [BindProperty] public string? Season { get; set; }
    /// <summary>Issued with the form (SubmissionKeys): sent twice, it lands on the one subscription, not a "one per season" refusal.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal int CurrentSeason { get; private set; }
    internal GardenSubscriptions.Price? CurrentPrice { get; private set; }
    internal GardenSubscriptions.Price? NextPrice { get; private set; }
    internal IReadOnlyList<GardenSubscriptions.Subscription> Existing { get; private set; } = [];
    internal string? ExistingId { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await RefuseAsync(Council, Policies.Casework) is { } refused) return refused;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await RefuseAsync(Council, Policies.Casework) is { } refused) return refused;
        try
        {
            if (!ModelState.IsValid && ModelState.TryGetValue(nameof(Bins), out var binsState) && binsState.Errors.Count > 0)
                throw ApiProblemException.Validation("bins", "Say how many garden waste bins as a number, for example 1.");
            long? uprn = long.TryParse(Uprn?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var u) ? u : null;
            if (uprn is null) throw ApiProblemException.Validation("uprn", "A UPRN is a whole number of 1 to 12 digits.");
            await using var session = await store.OpenSessionAsync(Council, HttpContext.EventContext(), ct);
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.garden-subscription", SubmissionKeys.Fingerprint(CustomerId, Uprn?.Trim(),
                    Bins?.ToString(System.Globalization.CultureInfo.InvariantCulture), Season), ct) is { } earlier)
                return LocalRedirect($"/councils/{Council}/waste/garden-subscriptions/{earlier}?done=created&{SubmissionKeys.ReplayedQuery}");
            var prefix = (await Service<ICouncilDirectory>().RequireAsync(Council, ct)).ReferencePrefix;
            var created = await GardenSubscriptions.SubscribeAsync(session, prefix, new GardenSubscriptions.Request(CustomerId, uprn, Bins, Season), Clock.UtcNow, ct);
            await session.CompleteSubmissionAsync(created.Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/councils/{Council}/waste/garden-subscriptions/{created.Id}?done=created");
        }
        catch (ApiProblemException e)
        {
            Show(e);
            if (e.Status == 409)
            {
                ExistingId = e.Extensions.TryGetValue("existingSubscriptionId", out var id) ? id as string : null;
                Errors = new() { ["bins"] = [e.Detail ?? e.Title] };
            }
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CurrentSeason = GardenSeasons.Of(CollectionCalendar.LocalDate(Clock.UtcNow));
        Season ??= GardenSeasons.Name(CurrentSeason);
        await using var tx = await db.BeginAsync(Council, ct);
        CurrentPrice = await GardenSubscriptions.PriceAsync(tx.Connection, tx.Transaction, Council, CurrentSeason, ct);
        NextPrice = await GardenSubscriptions.PriceAsync(tx.Connection, tx.Transaction, Council, CurrentSeason + 1, ct);
        if (long.TryParse(Uprn?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uprn))
            Existing = await GardenSubscriptions.FindAsync(tx.Connection, tx.Transaction, Council, uprn, null, ct);
    }
}
