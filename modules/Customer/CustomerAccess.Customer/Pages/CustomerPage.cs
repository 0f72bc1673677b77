using System.Globalization;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Customer.Pages;

/// <summary>
/// What every Customer screen does alike. The council comes from the route (/councils/{council}/...):
/// a user who does not serve it gets 403, an unknown council 404, and every read then runs under
/// row-level security for that council, so another council's data never shows. Writes also need the
/// casework policy, like the API. Field errors come from the same <see cref="ApiProblemException"/>
/// the API turns into problem+json, shown in a GOV.UK error summary linked to the fields.
/// </summary>
public abstract class CustomerPage : PageModel
{
    public const string DateFormat = "d MMMM yyyy";
    public const string DateTimeFormat = "d MMMM yyyy 'at' HH:mm";

    /// <summary>Field errors in the order the form shows them: (field id, message).</summary>
    public List<(string Field, string Message)> Errors { get; } = [];

    public string Council => RouteData.Values[CouncilAccess.RouteParameter] as string ?? "";

    public string? CustomerId => RouteData.Values["id"] as string;

    public string CustomerPath => $"/councils/{Council}/customers/{CustomerId}";

    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>Null when the user may do this here; else the 403/404 to answer.</summary>
    protected async Task<IActionResult?> RefuseAsync(bool write = false)
    {
        if (!User.Serves(Council)) return StatusCode(StatusCodes.Status403Forbidden);
        if (!await Service<ICouncilDirectory>().ExistsAsync(Council, HttpContext.RequestAborted)) return NotFound();
        var policy = write ? Policies.Casework : Policies.Read;
        if (!(await Service<IAuthorizationService>().AuthorizeAsync(User, policy)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        return null;
    }

    /// <summary>
    /// Shows a refused request's field errors; fields maps the API's names to the form's ids (a field
    /// not mapped links to the first field). Returns false when the problem is not about fields.
    /// </summary>
    protected bool ShowErrors(ApiProblemException problem, IReadOnlyDictionary<string, string> fields, string firstField)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Errors is { Count: > 0 } errors)
        {
            var order = fields.Keys.ToList();
            foreach (var (field, messages) in errors.OrderBy(e => order.IndexOf(e.Key) is var i and >= 0 ? i : int.MaxValue))
                foreach (var message in messages) Errors.Add((fields.GetValueOrDefault(field, firstField), message));
        }
        else if (problem.Status is StatusCodes.Status409Conflict or StatusCodes.Status400BadRequest)
        {
            Errors.Add((firstField, problem.Detail ?? problem.Title));
        }
        else return false;
        Response.StatusCode = problem.Status;
        return true;
    }

    public string? ErrorFor(string field) => Errors.Where(e => e.Field == field).Select(e => e.Message).FirstOrDefault();

    public string Title(string title) => Errors.Count > 0 ? "Error: " + title : title;

    public static string Date(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";

    public static string Pounds(long? pence) =>
        pence is { } p ? "£" + (p / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture) : "";

    /// <summary>A booked slot: a whole local day (a bulky collection) reads as its date, else start time.</summary>
    public static string Slot(DateTimeOffset? start, DateTimeOffset? end)
    {
        if (start is not { } s) return "";
        var local = TimeZoneInfo.ConvertTime(s, UkTime);
        return local.TimeOfDay == TimeSpan.Zero && end is { } e && (e - s).TotalHours is >= 23 and <= 25
            ? Date(DateOnly.FromDateTime(local.DateTime))
            : When(s);
    }

    public static string When(DateTimeOffset? at) =>
        at is { } t ? TimeZoneInfo.ConvertTime(t, UkTime).ToString(DateTimeFormat, CultureInfo.InvariantCulture) : "";

    private static readonly TimeZoneInfo UkTime = FindUkTime();

    private static TimeZoneInfo FindUkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
