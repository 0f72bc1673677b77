using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Tenancy.Pages.Reports;

/// <summary>
/// GET /reports: the performance report (the API's figures) for the council chosen in the header,
/// over a period: contacts by channel, first-contact resolution, cases, money, failure demand and
/// why. Auditors and partnership admins also get the joint committee's table (/reports/partnership).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class IndexModel(PlatformDatabase db, ICurrentCouncil current, IAuthorizationService authorization) : ReportPage
{
    internal CouncilInfo? Council { get; private set; }
    internal PerformanceReports.Figures? Figures { get; private set; }
    internal bool CanSeePartnership { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Council = await current.CurrentAsync(ct);
        CanSeePartnership = (await authorization.AuthorizeAsync(User, Policies.Audit)).Succeeded;
        if (Council is not null && TryPeriod())
            Figures = await PerformanceReports.FiguresAsync(db, Council.Id, PeriodFrom, PeriodTo, ct);
        return Page();
    }
}
