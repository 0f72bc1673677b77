using System.Security.Claims;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Case.Domain;

internal static class CaseTypes
{
    public const string Enquiry = "enquiry";
    public const string ServiceRequest = "service-request";
    public const string Complaint = "complaint";
    public const string MemberEnquiry = "member-enquiry";
    /// <summary>The service standard key for a stage 2 complaint (20 working days when a council sets none).</summary>
    public const string ComplaintStage2 = "complaint-stage-2";
    public const int DefaultStage2Days = 20;

    public static readonly IReadOnlyList<string> All = [Enquiry, ServiceRequest, Complaint, MemberEnquiry];
}

internal static class CaseStatuses
{
    public const string Open = "open";
    public const string Escalated = "escalated";
    public const string InProgress = "in-progress";
    public const string Resolved = "resolved";
    public const string Reopened = "reopened";
}

internal static class Teams
{
    public const string Safeguarding = "safeguarding";
    public const string Complaints = "complaints";

    public static readonly IReadOnlyList<string> All =
        ["waste", "council-tax", "benefits", "housing", "planning", "parking", "environmental-health", "leisure", "complaints", "safeguarding", "customer-services"];
}

internal static class SafeguardingConcerns
{
    public static readonly IReadOnlyList<string> All = ["adult", "child"];

    /// <summary>
    /// Who may see a restricted (safeguarding) case: service officers of the safeguarding team,
    /// partnership admins and auditors. Everyone else is told it does not exist.
    /// </summary>
    public static bool MaySee(ClaimsPrincipal user) =>
        user.IsInRole(Roles.PartnershipAdmin) || user.IsInRole(Roles.Auditor)
        || (user.IsInRole(Roles.ServiceOfficer) && user.FindAll(AccessClaims.Team).Any(t => t.Value == Teams.Safeguarding));
}

/// <summary>When a case is due: the council's service standard in working days.</summary>
internal static class CaseDueDates
{
    public static DateTimeOffset For(CouncilInfo council, string type, int? stage, DateTimeOffset from)
    {
        if (type == CaseTypes.Complaint && stage == 2)
        {
            if (council.DaysToResolve.ContainsKey(CaseTypes.ComplaintStage2)) return council.DueAt(CaseTypes.ComplaintStage2, from);
            var days = new Dictionary<string, int>(council.DaysToResolve, StringComparer.Ordinal) { [CaseTypes.ComplaintStage2] = CaseTypes.DefaultStage2Days };
            return (council with { DaysToResolve = days }).DueAt(CaseTypes.ComplaintStage2, from);
        }
        return council.DueAt(type, from);
    }

    /// <summary>
    /// "CHE-C-000123": the council's reference prefix (<see cref="CouncilInfo.ReferencePrefix"/>, no other
    /// council's), C for case, the council's next number.
    /// </summary>
    public static string Reference(CouncilInfo council, long number) =>
        $"{council.ReferencePrefix}-C-{number.ToString("000000", System.Globalization.CultureInfo.InvariantCulture)}";
}
