using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CustomerAccess.Tenancy.Pages.Reports;

/// <summary>GET /reports/partnership: one row per council, for the joint committee (auditors, partnership admins).</summary>
[Authorize(Policy = Policies.Audit)]
public sealed class PartnershipModel(PlatformDatabase db, ICouncilDirectory directory) : ReportPage
{
    internal IReadOnlyList<PerformanceReports.Figures> Rows { get; private set; } = [];
    internal IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Names = (await directory.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        if (TryPeriod())
            Rows = await PerformanceReports.PartnershipFiguresAsync(db, directory, User, PeriodFrom, PeriodTo, ct);
        return Page();
    }
}
