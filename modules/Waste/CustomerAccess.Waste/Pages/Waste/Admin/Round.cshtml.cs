using System.Globalization;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste.Admin;

/// <summary>
/// GET/POST /admin/waste/rounds/{id}: one round of the header's council: change its settings
/// (<see cref="ConfigureRounds.ConfigureAsync"/>), and list, add and take off the properties put on it by UPRN
/// (<see cref="ConfigureRounds.AddPropertyAsync"/> / <see cref="ConfigureRounds.RemovePropertyAsync"/>, the
/// API's cores: a UPRN not in the council's gazetteer is refused in the error summary and nothing changes), import a CSV
/// file of them (<see cref="ConfigureRounds.ImportAsync"/>: the post answers with the report), and a link to retire it
/// (<see cref="RetireRoundModel"/>). A retired round shows its properties (to take off, or to put on another round) and
/// no form that would add to it or change it.
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

    /// <summary>The CSV file to import (a header row with a uprn column).</summary>
    [BindProperty] public IFormFile? CsvFile { get; set; }

    internal ConfigureRounds.RoundView? Round { get; private set; }
    /// <summary>The import just made, shown on the page that answers its post.</summary>
    internal ConfigureRounds.ImportReport? Report { get; private set; }
    internal ConfigureRounds.PropertiesView? Properties { get; private set; }
    internal string? Done => Request.Query["done"].FirstOrDefault() is var d && d is "created" or "saved" or "added" or "removed" or "retired" or "imported" ? d : null;

    /// <summary>A replayed import's counts (added, already on the round, rejected), from its redirect.</summary>
    internal (int Added, int Already, int Rejected)? ImportedCounts =>
        Request.Query["counts"].FirstOrDefault()?.Split(',') is [var a, var b, var c]
        && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var added)
        && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var already)
        && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var rejected)
            ? (added, already, rejected) : null;

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

    /// <summary>
    /// Imports the uploaded file and answers with the page and its report (no redirect: the report is not kept). Sent
    /// again with the same submission key (a double click, a refresh) it writes nothing and redirects with the first
    /// import's counts and <c>?replayed=1</c>.
    /// </summary>
    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        if (!await LoadAsync(ct)) return NotFound();
        try
        {
            EnsureFormIsForThisCouncil();
            if (CsvFile is null || CsvFile.Length == 0) throw ApiProblemException.Validation("csvFile", "Choose a CSV file with a uprn column.");
            if (CsvFile.Length > ConfigureRounds.MaxImportBytes)
                throw ApiProblemException.Validation("csvFile", $"The file is larger than {ConfigureRounds.MaxImportBytes / (1024 * 1024)} MB: split it and import each part.");
            using var bytes = new MemoryStream();
            await using (var upload = CsvFile.OpenReadStream()) await upload.CopyToAsync(bytes, ct);
            var fingerprint = SubmissionKeys.Fingerprint(Id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray())));
            bytes.Position = 0;
            using var reader = new StreamReader(bytes, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var file = await ConfigureRounds.ParseCsvAsync(reader, ct);
            var outcome = await ConfigureRounds.ImportAsync(store, mediator, CouncilInfo!.Id, HttpContext.EventContext(), Id, file, IdempotencyKey, fingerprint, ct);
            if (outcome.Replayed is { } counts)
                return LocalRedirect($"/admin/waste/rounds/{Id}?done=imported&counts={Uri.EscapeDataString(counts)}&{SubmissionKeys.ReplayedQuery}");
            Report = outcome.Report;
        }
        catch (ApiProblemException e)
        {
            Show(e);
            // The file's own refusals (no uprn column, too many rows) belong to the file field.
            if (Errors.Remove("file", out var file)) Errors["csvFile"] = file;
            if (e.Status == StatusCodes.Status413PayloadTooLarge && Errors.Remove("", out var large)) Errors["csvFile"] = large;
        }
        await LoadAsync(ct);
        return Page();
    }

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

/// <summary>
/// GET/POST /admin/waste/rounds/{id}/retire: asks first (its properties then have no collection from it), then retires
/// the round through <see cref="ConfigureRounds.RetireAsync"/>, POST /waste/rounds/{id}/retirement's core, and goes back to
/// the round's page. Retiring twice records nothing; the form also carries a submission key, so a second send says it was
/// recorded once.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class RetireRoundModel(PlatformDatabase db, EventStore store) : WasteAdminPage
{
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public string? IdempotencyKey { get; set; }

    internal ConfigureRounds.RoundView? Round { get; private set; }
    internal int PropertyCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await HeaderCouncilAsync(ct) is { } refused) return refused;
        if (!await LoadAsync(ct)) return NotFound();
        try
        {
            EnsureFormIsForThisCouncil();
            await using var session = await store.OpenSessionAsync(CouncilInfo!.Id, HttpContext.EventContext(), ct);
            if (await session.ClaimSubmissionAsync(IdempotencyKey, "waste.round-retirement", SubmissionKeys.Fingerprint(Id), ct) is not null)
                return LocalRedirect($"/admin/waste/rounds/{Id}?done=retired&{SubmissionKeys.ReplayedQuery}");
            await ConfigureRounds.RetireAsync(session, Id, ct);
            await session.CompleteSubmissionAsync(Id, ct);
            await session.CommitAsync(ct);
            return LocalRedirect($"/admin/waste/rounds/{Id}?done=retired");
        }
        catch (ApiProblemException e)
        {
            Show(e);
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
        PropertyCount = (await ConfigureRounds.PropertiesViewAsync(tx, Id, ct)).Items.Count;
        return true;
    }
}
