using System.Globalization;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Payments.Pages;

/// <summary>
/// What every payment screen does alike. The council is the route's (/councils/{council}/payments/...):
/// a user who does not serve it gets 403, an unknown council 404; reads then run under row-level
/// security for that council. Writes need the payments policy, like the API. Field errors come from the
/// same <see cref="ApiProblemException"/> the API answers with, shown in a GOV.UK error summary.
/// (Razor needs page models public; what they expose beyond form fields is internal.)
/// </summary>
public abstract class PaymentsPage : PageModel
{
    [FromRoute] public string Council { get; set; } = "";

    internal CouncilInfo? CouncilInfo { get; private set; }
    internal Dictionary<string, string[]> Errors { get; set; } = [];
    internal string? Done => Request.Query["done"].FirstOrDefault();
    internal bool CanTakePayments { get; private set; }

    protected T Service<T>() where T : notnull => HttpContext.RequestServices.GetRequiredService<T>();

    /// <summary>Null when the user may do this here; else the 403/404 to answer.</summary>
    protected async Task<IActionResult?> RefuseAsync(bool write)
    {
        if (!User.Serves(Council)) return StatusCode(StatusCodes.Status403Forbidden);
        CouncilInfo = await Service<ICouncilDirectory>().GetAsync(Council, HttpContext.RequestAborted);
        if (CouncilInfo is null) return NotFound();
        CanTakePayments = (await Service<IAuthorizationService>().AuthorizeAsync(User, Policies.Payments)).Succeeded;
        if (write && !CanTakePayments) return StatusCode(StatusCodes.Status403Forbidden);
        return null;
    }

    /// <summary>Shows a refused command: field errors keyed by the form's ids (<paramref name="fields"/> maps the API's names).</summary>
    protected void Show(ApiProblemException e, IReadOnlyDictionary<string, string>? fields = null)
    {
        Errors = e.Errors is { Count: > 0 } errors
            ? errors.GroupBy(x => fields?.GetValueOrDefault(x.Key, x.Key) ?? x.Key).ToDictionary(g => g.Key, g => g.SelectMany(x => x.Value).ToArray())
            : new() { [""] = [e.Detail ?? e.Title] };
        Response.StatusCode = e.Status;
    }

    internal string? Err(string field) => Errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    internal string Group(string field) => "govuk-form-group" + (Err(field) is null ? "" : " govuk-form-group--error");

    internal string Title(string title) => Errors.Count > 0 ? "Error: " + title : title;
}

internal static class PaymentsUi
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static string Money(long pence) => Domain.Money.Format(pence);

    /// <summary>Pounds as typed ("12.50", "£1,012.5", "12"): whole pence, or null when it is not an amount.</summary>
    public static long? ParsePounds(string? text)
    {
        var t = (text ?? "").Trim().TrimStart('£').Replace(",", "", StringComparison.Ordinal).Trim();
        if (t.Length == 0 || !decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pounds)) return null;
        var pence = pounds * 100m;
        return pence == decimal.Truncate(pence) && pence <= long.MaxValue ? (long)pence : null;
    }

    public static string Pounds(long pence) => (pence / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string ChannelName(string channel) => channel switch
    {
        Channels.Cash => "Cash",
        Channels.Cheque => "Cheque",
        Channels.CardPresent => "Card in person (terminal)",
        Channels.Telephone => "Card by phone (advisor keys it on the provider's page)",
        Channels.AutomatedTelephone => "Automated phone line",
        Channels.Web => "Online (payer completes it on the provider's page)",
        _ => channel,
    };

    public static string StatusTag(string status) => status switch
    {
        "succeeded" or "paid" => "govuk-tag--green",
        "pending" or "open" => "govuk-tag--blue",
        "failed" => "govuk-tag--red",
        "closed" => "govuk-tag--grey",
        _ => "govuk-tag--grey",
    };

    public static string StatusName(string status) => char.ToUpperInvariant(status[0]) + status[1..];

    public static string When(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, London).ToString("d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture);

    public static string Day(string isoDate) =>
        DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) : isoDate;
}
