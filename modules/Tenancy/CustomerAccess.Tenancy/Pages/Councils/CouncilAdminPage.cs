using System.Globalization;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Tenancy.Pages.Councils;

/// <summary>
/// What the partner-council screens (/admin/councils/...) share: partnership admins only (anyone else gets the
/// 403 page), and refusals that are the API's own <see cref="ApiProblemException"/>s, shown in a GOV.UK error
/// summary linked to the fields, with the API's status code. (Razor needs page models public; the rest is internal.)
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public abstract class CouncilAdminPage : PageModel
{
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    /// <summary>The module's internal services (not constructor parameters of a public page model).</summary>
    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>Shows a refused command on the page with its status code; <paramref name="field"/> names the field a problem without field errors is about.</summary>
    protected void Show(ApiProblemException problem, string field = "")
    {
        ArgumentNullException.ThrowIfNull(problem);
        Errors = problem.Errors is { Count: > 0 } errors ? new Dictionary<string, string[]>(errors) : new() { [field] = [problem.Detail ?? problem.Title] };
        Response.StatusCode = problem.Status;
    }

    internal string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    internal string GroupClass(string field) => "govuk-form-group" + (ErrorFor(field) is null ? "" : " govuk-form-group--error");

    internal string InputClass(string field, string width) => $"govuk-input {width}" + (ErrorFor(field) is null ? "" : " govuk-input--error");

    internal string Title(string title) => Errors.Count > 0 ? "Error: " + title : title;

    internal static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
