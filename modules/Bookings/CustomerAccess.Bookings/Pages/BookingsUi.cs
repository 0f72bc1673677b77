using System.Globalization;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Bookings.Pages;

/// <summary>What the booking screens share: the route's council and access, field errors, display text.</summary>
internal static class BookingsUi
{
    /// <summary>Null when the user may act here (writes: the casework policy); else the 403 or 404 to answer.</summary>
    public static async Task<IActionResult?> RefuseAsync(PageModel page, string council, bool write, CancellationToken ct)
    {
        if (!page.User.Serves(council)) return page.StatusCode(StatusCodes.Status403Forbidden);
        var directory = page.HttpContext.RequestServices.GetRequiredService<ICouncilDirectory>();
        if (!await directory.ExistsAsync(council, ct).ConfigureAwait(false)) return page.NotFound();
        if (write)
        {
            var authorization = page.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(page.User, Policies.Casework).ConfigureAwait(false)).Succeeded)
                return page.StatusCode(StatusCodes.Status403Forbidden);
        }
        return null;
    }

    /// <summary>The council chosen in the header (the host's <see cref="ICurrentCouncil"/>; never one the user does not serve).</summary>
    public static Task<CouncilInfo?> CurrentCouncilAsync(HttpContext http, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<ICurrentCouncil>().CurrentAsync(ct);

    /// <summary>Field errors of a refused command, keyed as the API names them.</summary>
    public static Dictionary<string, string[]> ErrorsOf(ApiProblemException e) =>
        e.Errors is { Count: > 0 } errors ? new Dictionary<string, string[]>(errors) : new() { [""] = [e.Detail ?? e.Title] };

    public static string Money(long pence) => pence == 0 ? "Free" : (pence / 100m).ToString("£0.00", CultureInfo.InvariantCulture);

    public static string DayLong(DateTimeOffset at) => SlotCalendar.ToLocal(at).ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DayLong(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => SlotCalendar.ToLocal(at).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string When(DateTimeOffset start, DateTimeOffset end, string type) => type == ResourceTypes.BulkyWaste
        ? DayLong(start)
        : $"{DayLong(start)}, {Time(start)} to {Time(end)}";

    public static string TypeName(string type) => type switch
    {
        ResourceTypes.Pitch => "Pitch",
        ResourceTypes.Pavilion => "Pavilion",
        ResourceTypes.Room => "Room",
        ResourceTypes.BulkyWaste => "Bulky waste",
        _ => type,
    };

    public static string StatusName(string status) => status switch
    {
        BookingStatuses.Held => "Awaiting payment",
        BulkyStates.AwaitingPayment => "Awaiting payment",
        BulkyStates.WorksOrderRaised => "Works order raised",
        BulkyStates.ReleasedRefunded => "Released (refund requested)",
        _ => char.ToUpperInvariant(status[0]) + status[1..],
    };

    public static string StatusTag(string status) => status switch
    {
        BookingStatuses.Confirmed or BulkyStates.WorksOrderRaised => "govuk-tag--green",
        BookingStatuses.Held or BulkyStates.AwaitingPayment or BulkyStates.Held => "govuk-tag--yellow",
        _ => "govuk-tag--grey",
    };

    /// <summary>Where the advisor takes the payment (the Payments module's screen).</summary>
    public static string PaymentLink(string council, string customerId, Guid paymentRequestId) =>
        $"/councils/{council}/payments/new?customerId={Uri.EscapeDataString(customerId)}&paymentRequestId={paymentRequestId}";
}
