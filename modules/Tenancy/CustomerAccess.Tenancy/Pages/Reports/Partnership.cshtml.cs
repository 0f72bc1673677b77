using System.Globalization;
using System.Text;
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

    /// <summary>?handler=Csv: the same table as CSV for the committee's papers (a bad period shows the page with its errors).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var page = await OnGetAsync(ct);
        if (Errors.Count > 0) return page;
        var csv = new StringBuilder("council,name,contacts,first_contact_resolution_rate,cases_opened,cases_resolved_within_standard,payments_total_pence,failure_demand,classified_contacts,failure_demand_share\r\n");
        foreach (var r in Rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Cell(r.Council)},{Cell(Names.GetValueOrDefault(r.Council, r.Council))},{r.ContactsByChannel.Values.Sum()},")
                .Append(CultureInfo.InvariantCulture, $"{r.FirstContactResolutionRate},{r.CasesOpened},{r.CasesResolvedWithinStandard},{r.PaymentsTotalPence},")
                .Append(CultureInfo.InvariantCulture, $"{r.FailureDemand},{r.ClassifiedContacts},{r.FailureDemandShare}\r\n");
        }
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"partnership-performance-{From}-to-{To}.csv");
    }

    // RFC 4180 quoting, and a leading quote mark for text a spreadsheet would run as a formula.
    private static string Cell(string text)
    {
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal)) text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
