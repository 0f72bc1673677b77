using System.Globalization;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Case.Pages;

/// <summary>What the case screens share: the council being served, services, display text.</summary>
internal static class CaseUi
{
    /// <summary>The council chosen in the header (the host's <see cref="ICurrentCouncil"/>; never one the user does not serve).</summary>
    public static Task<CouncilInfo?> CurrentCouncilAsync(HttpContext http, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<ICurrentCouncil>().CurrentAsync(ct);

    /// <summary>A council named in a screen's route: null unless the user serves it and it exists.</summary>
    public static async Task<CouncilInfo?> RouteCouncilAsync(HttpContext http, ICouncilDirectory directory, string council, CancellationToken ct) =>
        http.User.Serves(council) ? await directory.GetAsync(council, ct).ConfigureAwait(false) : null;

    /// <summary>The services a case can be about (the service teams less complaints and safeguarding, which are routes, not services).</summary>
    public static readonly IReadOnlyList<(string Id, string Name)> Services =
    [
        ("waste", "Waste and recycling"), ("council-tax", "Council Tax"), ("benefits", "Benefits"), ("housing", "Housing"),
        ("planning", "Planning"), ("parking", "Parking"), ("environmental-health", "Environmental health"), ("leisure", "Leisure and bookings"),
        ("customer-services", "Customer services"),
    ];

    public static readonly IReadOnlyList<(string Id, string Name)> TypeNames =
    [
        ("enquiry", "Enquiry"), ("service-request", "Service request"), ("complaint", "Complaint"), ("member-enquiry", "Member enquiry"),
    ];

    public static string ServiceName(string id) => Services.FirstOrDefault(s => s.Id == id).Name ?? id;

    public static string TypeName(string id) => TypeNames.FirstOrDefault(s => s.Id == id).Name ?? id;

    public static string TeamName(string? team) => team is null ? "None" : char.ToUpperInvariant(team[0]) + team[1..].Replace('-', ' ');

    public static string StatusName(string status) => status switch
    {
        "in-progress" => "In progress",
        _ => char.ToUpperInvariant(status[0]) + status[1..],
    };

    public static string StatusTag(string status) => status switch
    {
        "open" => "govuk-tag--blue",
        "escalated" => "govuk-tag--orange",
        "in-progress" => "govuk-tag--purple",
        "resolved" => "govuk-tag--green",
        "reopened" => "govuk-tag--yellow",
        _ => "govuk-tag--grey",
    };

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static IEnumerable<string> Paragraphs(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Field errors of a refused command, keyed as the API names them.</summary>
    public static Dictionary<string, string[]> ErrorsOf(ApiProblemException e) =>
        e.Errors is { Count: > 0 } errors ? new Dictionary<string, string[]>(errors) : new() { [""] = [e.Detail ?? e.Title] };
}
