using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Waste.Pages.Waste;

/// <summary>
/// GET/POST /councils/{council}/waste/missed-bins/new?customerId=&amp;uprn=: report a missed
/// collection for a customer. The same rules as the API (ReportMissedBin.ReportAsync): a refusal
/// (too early, too late, no such round) is shown with its reason, linked to the bin choice. On
/// success it redirects back here with the works order (post/redirect/get).
/// </summary>
[Authorize(Policy = Policies.Casework)]
public sealed class MissedBinModel(EventStore store, ICouncilDirectory directory) : WastePage
{
    [FromRoute] public string Council { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Uprn { get; set; }
    [BindProperty] public string? Container { get; set; }
    /// <summary>Issued with the form (SubmissionKeys): sent twice, it is one report, not a report and a chase.</summary>
    [BindProperty] public string? IdempotencyKey { get; set; }
    /// <summary>The case the report is made for (optional: ?caseId= carried as a hidden field).</summary>
    [BindProperty(SupportsGet = true)] public string? CaseId { get; set; }

    internal IReadOnlyList<GetCollections.NextCollection> Collections { get; private set; } = [];
    internal string? Reported => Request.Query["reported"].FirstOrDefault() is { Length: > 0 and <= 64 } id ? id : null;
    internal bool Repeat => Request.Query["repeat"] == "true";
    internal string? CollectionDate => Request.Query["collection"].FirstOrDefault() is { Length: 10 } d ? d : null;

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
            long? uprn = long.TryParse(Uprn?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var u) ? u : null;
            if (uprn is null) throw ApiProblemException.Validation("uprn", "A UPRN is a whole number of 1 to 12 digits.");
            var (customerId, validUprn, container, caseId) = ReportMissedBin.Validate(new ReportMissedBin.Request(CustomerId, uprn, Container, CaseId));
            var reported = await ReportMissedBin.ReportAsync(store, Council, HttpContext.EventContext(), customerId, validUprn, container, caseId, null, directory, Clock, ct,
                IdempotencyKey);
            return LocalRedirect($"/councils/{Council}/waste/missed-bins/new?customerId={Uri.EscapeDataString(CustomerId ?? "")}&uprn={uprn}" +
                (caseId is null ? "" : $"&caseId={Uri.EscapeDataString(caseId)}") +
                $"&reported={reported.WorksOrderId}&repeat={(reported.Repeat ? "true" : "false")}&collection={CollectionCalendar.Text(reported.CollectionDate)}" +
                (reported.Replayed ? "&" + SubmissionKeys.ReplayedQuery : ""));
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
        if (!long.TryParse(Uprn?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uprn)) return;
        try
        {
            Collections = await GetCollections.NextAsync(store, directory, Clock, Council, uprn, ct);
        }
        catch (ApiProblemException)
        {
            Collections = []; // not on a round: the form offers every bin and the report says why it is refused
        }
    }
}
