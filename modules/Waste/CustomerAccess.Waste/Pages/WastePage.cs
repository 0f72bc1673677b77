using System.Globalization;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Waste.Pages;

/// <summary>
/// What the waste screens share. A screen whose route names a council (/councils/{council}/waste/...)
/// answers 403 to a user who does not serve it and 404 for an unknown council; the works-order list
/// acts for the council chosen in the header (cookie ca-council, only ever one the user serves).
/// Refused commands are the API's <see cref="ApiProblemException"/>, shown in a GOV.UK error summary
/// linked to the fields. (Razor needs page models public; what they expose beyond form fields is internal.)
/// </summary>
public abstract class WastePage : PageModel
{
    internal Dictionary<string, string[]> Errors { get; set; } = [];
    internal CouncilInfo? CouncilInfo { get; private set; }

    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>The Waste module's clock (internal, so not a constructor parameter of a public page model).</summary>
    internal WasteClock Clock => Service<WasteClock>();

    /// <summary>Null when the user may use this screen for the route's council (setting <see cref="CouncilInfo"/>); else the 403/404.</summary>
    protected async Task<IActionResult?> RefuseAsync(string council, string policy)
    {
        if (!User.Serves(council)) return StatusCode(StatusCodes.Status403Forbidden);
        CouncilInfo = await Service<ICouncilDirectory>().GetAsync(council, HttpContext.RequestAborted);
        if (CouncilInfo is null) return NotFound();
        if (!(await Service<IAuthorizationService>().AuthorizeAsync(User, policy)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        return null;
    }

    /// <summary>The council chosen in the header.</summary>
    protected async Task<CouncilInfo?> CurrentCouncilAsync(CancellationToken ct)
    {
        CouncilInfo = await Service<ICurrentCouncil>().CurrentAsync(ct);
        return CouncilInfo;
    }

    /// <summary>Shows a refused command on the page with its status code.</summary>
    protected void Show(ApiProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Errors = problem.Errors is { Count: > 0 } errors ? new Dictionary<string, string[]>(errors) : new() { [""] = [problem.Detail ?? problem.Title] };
        Response.StatusCode = problem.Status;
    }

    internal string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    internal string GroupClass(string field) => "govuk-form-group" + (ErrorFor(field) is null ? "" : " govuk-form-group--error");

    internal string Title(string title) => Errors.Count > 0 ? "Error: " + title : title;

    internal static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The URL when it is an absolute http(s) link, else null: a stored link is rendered as an href only if it cannot be script.</summary>
    internal static string? WebLink(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.AbsoluteUri : null;

    internal static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC";

    internal static string ContainerName(string container) => container switch
    {
        Containers.Refuse => "Rubbish (refuse)",
        Containers.Recycling => "Recycling",
        Containers.Food => "Food waste",
        Containers.Garden => "Garden waste",
        _ => container,
    };

    internal static string StatusName(string status) => status switch
    {
        "could-not-complete" => "Could not complete",
        "pending-payment" => "Waiting for payment",
        _ => char.ToUpperInvariant(status[0]) + status[1..],
    };

    internal static string StatusTag(string status) => status switch
    {
        "raised" => "govuk-tag--blue",
        "sent" => "govuk-tag--purple",
        "accepted" => "govuk-tag--yellow",
        "completed" or "active" => "govuk-tag--green",
        "could-not-complete" => "govuk-tag--red",
        "pending-payment" => "govuk-tag--orange",
        _ => "govuk-tag--grey",
    };

    internal static string KindName(string kind) => kind switch
    {
        "missed-bin" => "Missed bin",
        "bin-request" => "Bin request",
        "fly-tipping" => "Fly-tipping",
        "bulky-collection" => "Bulky collection",
        _ => kind,
    };
}
