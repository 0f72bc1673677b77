using System.Globalization;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Reports;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerAccess.Tenancy.Pages.Reports;

/// <summary>
/// What the report screens share: the period (the API's rules: dates, both included, default the
/// last 30 days, at most three years), shown back as typed when it is refused, and display text.
/// </summary>
public abstract class ReportPage : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? From { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? To { get; set; }

    internal DateOnly PeriodFrom { get; private set; }
    internal DateOnly PeriodTo { get; private set; }
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    internal string? ErrorFor(string field) => Errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    /// <summary>False (with the errors and a 400) when the period is refused.</summary>
    protected bool TryPeriod()
    {
        try
        {
            (PeriodFrom, PeriodTo) = PerformanceReports.Period(From, To);
            From = PeriodFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            To = PeriodTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return true;
        }
        catch (ApiProblemException e)
        {
            Errors = e.Errors is { Count: > 0 } errors ? new Dictionary<string, string[]>(errors) : new() { [""] = [e.Detail ?? e.Title] };
            Response.StatusCode = e.Status;
            return false;
        }
    }

    internal static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    internal static string Pounds(long pence) => (pence / 100m).ToString("£#,##0.00;-£#,##0.00", CultureInfo.InvariantCulture);

    internal static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "None yet";

    internal static string Channel(string channel) => ContactChannels.Names.GetValueOrDefault(channel, channel);

    internal static string Reason(string reason)
    {
        var text = FailureReasons.Describe(reason);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
