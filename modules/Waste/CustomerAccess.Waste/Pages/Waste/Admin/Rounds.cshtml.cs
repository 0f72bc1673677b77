using System.Globalization;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste.Admin;

/// <summary>
/// GET/POST /admin/waste/rounds: the header council's collection rounds, and a form to add one (the same
/// rules as PUT /waste/rounds/{id}, through <see cref="ConfigureRounds.ConfigureAsync"/>). A new round opens
/// on its own page, where its properties are added.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class RoundsModel(PlatformDatabase db, EventStore store) : WasteAdminPage
{
    [BindProperty] public string? Id { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Container { get; set; }
    [BindProperty] public string? Frequency { get; set; }
    [BindProperty] public string? Weekday { get; set; }
    [BindProperty] public string? Anchor { get; set; }

    internal IReadOnlyList<ConfigureRounds.RoundView> Rounds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        try
        {
            EnsureFormIsForThisCouncil();
            var id = Id?.Trim() ?? "";
            var request = new ConfigureRounds.Request(Name, Container, RoundForm.Weekday(Weekday), Anchor, Frequency);
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            // This form adds: an id in use would quietly change that round, so it is refused here (its own page changes it).
            if (await ConfigureRounds.LoadAsync(session.Db, id, forUpdate: false, ct) is not null)
                throw ApiProblemException.Validation("id", "There is already a round with this id: change it on its own page, or choose another id.");
            var result = await ConfigureRounds.ConfigureAsync(session, id, request, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/admin/waste/rounds/{result.Round.Id}?done=created");
        }
        catch (ApiProblemException e)
        {
            Show(e);
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
        Rounds = await ConfigureRounds.ListAsync(tx, ct);
    }
}

/// <summary>What the round forms share: the weekday list and reading it back.</summary>
internal static class RoundForm
{
    public static readonly IReadOnlyList<(int Day, string Name)> Weekdays =
        [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday"), (6, "Saturday"), (7, "Sunday")];

    public static string DayName(int day) => Weekdays.FirstOrDefault(d => d.Day == day).Name ?? day.ToString(CultureInfo.InvariantCulture);

    /// <summary>The chosen weekday, null for "from the anchor date"; anything else is the API's weekday error.</summary>
    public static int? Weekday(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var day) ? day
            : throw ApiProblemException.Validation("weekday", "Choose a weekday from the list.");
    }
}

/// <summary>The round settings partial's model: the page (for its errors) and the values to show.</summary>
public sealed record RoundFields(WastePage Page, bool Adding, string? Id, string? Name, string? Container, string? Frequency, string? Weekday, string? Anchor);
