using System.Globalization;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste.Admin;

/// <summary>
/// GET/POST /admin/waste/rounds/{id}: one round of the header's council: change its settings
/// (<see cref="ConfigureRounds.ConfigureAsync"/>), and list, add and take off the properties put on it by UPRN
/// (<see cref="ConfigureRounds.AddPropertyAsync"/> / <see cref="ConfigureRounds.RemovePropertyAsync"/>, the
/// API's cores: a UPRN not in the council's gazetteer is refused in the error summary and nothing changes).
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class RoundModel(PlatformDatabase db, EventStore store, IMediator mediator) : WasteAdminPage
{
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Frequency { get; set; }
    [BindProperty] public string? Weekday { get; set; }
    [BindProperty] public string? Anchor { get; set; }
    [BindProperty] public string? Uprn { get; set; }
    /// <summary>Issued with each "take off" button (SubmissionKeys): sent twice it takes the property off once, with no "not on this round".</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal ConfigureRounds.RoundView? Round { get; private set; }
    internal ConfigureRounds.PropertiesView? Properties { get; private set; }
    internal string? Done => Request.Query["done"].FirstOrDefault() is var d && d is "created" or "saved" or "added" or "removed" ? d : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        if (!await LoadAsync(ct)) return NotFound();
        Name = Round!.Name;
        Frequency = Round.Frequency;
        // The stored date carries the weekday: the form leaves the day to it, so changing the date alone moves the round.
        Weekday = null;
        Anchor = Round.Anchor;
        return Page();
    }

    public Task<IActionResult> OnPostSettingsAsync(CancellationToken ct) => ActAsync("saved", async session =>
    {
        var container = (await ConfigureRounds.LoadAsync(session.Db, Id, forUpdate: false, ct))?.Container ?? throw ApiProblemException.NotFound("The round");
        var result = await ConfigureRounds.ConfigureAsync(session, Id, new ConfigureRounds.Request(Name, container, RoundForm.Weekday(Weekday), Anchor, Frequency), ct);
        return result.Changed;
    }, ct);

    public Task<IActionResult> OnPostAddPropertyAsync(CancellationToken ct) => ActAsync("added", async session =>
        (await ConfigureRounds.AddPropertyAsync(session, mediator, Id, Rounds.ParseUprn(Uprn), ct)).Changed, ct);

    public Task<IActionResult> OnPostRemovePropertyAsync(CancellationToken ct) => ActAsync("removed", async session =>
    {
        var uprn = Rounds.ParseUprn(Uprn);
        if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.round-property-removal", SubmissionKeys.Fingerprint(Id, uprn.ToString(CultureInfo.InvariantCulture)), ct) is not null)
            return null;
        await ConfigureRounds.RemovePropertyAsync(session, mediator, Id, uprn, ct);
        await session.CompleteSubmissionAsync(Id, ct);
        return true;
    }, ct);

    /// <summary>Runs one change in a session and redirects back (post/redirect/get); a refusal is shown on the page. Null from the change: a replay.</summary>
    private async Task<IActionResult> ActAsync(string done, Func<EventSession, Task<bool?>> change, CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        if (!await LoadAsync(ct)) return NotFound();
        try
        {
            EnsureFormIsForThisCouncil();
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            var changed = await change(session);
            if (changed is null) return LocalRedirect($"/admin/waste/rounds/{Id}?done={done}&{SubmissionKeys.ReplayedQuery}");
            if (changed.Value) await session.CommitAsync(ct);
            return LocalRedirect($"/admin/waste/rounds/{Id}?done={done}");
        }
        catch (ApiProblemException e)
        {
            Show(e);
            // The property form has one field: the gazetteer's refusal (errors.uprns) belongs to it.
            if (Errors.Remove("uprns", out var uprns)) Errors["uprn"] = uprns;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(CouncilInfo!.Id, ct);
        var round = await ConfigureRounds.LoadAsync(tx, Id, forUpdate: false, ct);
        if (round is null) return false;
        Round = ConfigureRounds.RoundView.Of(round);
        Properties = await ConfigureRounds.PropertiesViewAsync(tx, Id, ct);
        return true;
    }
}
