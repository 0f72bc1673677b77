using System.Globalization;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Bookings.Features;

/// <summary>GET /resources and GET /resources/{id}/availability?from=&amp;to= (local dates, both included, at most 92 days).</summary>
internal static class Resources
{
    internal sealed record ResourceItem(string Id, string Name, string Type, long PricePence, int Capacity);

    internal sealed record SlotItem(string SlotId, DateTimeOffset Start, DateTimeOffset End, int Capacity, int Remaining);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/resources", List).RequireAuthorization(Policies.Read).WithName("ListResources");
        api.MapGet("/resources/{id}/availability", Availability).RequireAuthorization(Policies.Read).WithName("ResourceAvailability");
    }

    private static async Task<IResult> List(string? type, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var items = (await BookingStore.ResourcesAsync(tx, string.IsNullOrWhiteSpace(type) ? null : type.Trim(), ct).ConfigureAwait(false))
            .Select(r => new ResourceItem(r.Id, r.Name, r.Type, r.PricePence, r.Capacity)).ToList();
        return Results.Ok(new { items, next = (string?)null }); // every resource in one page
    }

    private static async Task<IResult> Availability(string id, string? from, string? to, HttpContext http, PlatformDatabase db, TimeProvider time,
        CancellationToken ct)
    {
        var (start, end) = Range(from, to, time.GetUtcNow());
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var resource = await BookingStore.ResourceAsync(tx, id, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The resource");
        var items = await SlotsAsync(tx, resource, start, end, time.GetUtcNow(), ct).ConfigureAwait(false);
        return Results.Ok(new { resourceId = resource.Id, name = resource.Name, type = resource.Type, pricePence = resource.PricePence, from = start, to = end, items });
    }

    private const int MaxYearsAway = 10;

    /// <summary>
    /// A day of the range: a date (2027-01-12), or an ISO 8601 date and time with its offset, taken as
    /// the local (London) day it falls on, as the slots' own start and end are written.
    /// </summary>
    private static bool TryDay(string text, out DateOnly day)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return true;
        var s = text.Trim();
        if (s.Length is > 10 and <= 40 && s.Contains('T', StringComparison.Ordinal) &&
            (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ||
             DateTimeOffset.TryParse(s.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant)))
        {
            day = SlotCalendar.Today(instant);
            return true;
        }
        return false;
    }

    /// <summary>Validated local dates; default from today for 14 days.</summary>
    internal static (DateOnly From, DateOnly To) Range(string? from, string? to, DateTimeOffset now)
    {
        var v = new Validator();
        var today = SlotCalendar.Today(now);
        DateOnly start = today, end;
        // From is kept within ten years of today (bookings open a year ahead), so the window and the
        // calendar's previous/next links never run off the ends of the calendar (year 1, year 9999).
        if (!string.IsNullOrWhiteSpace(from) && !TryDay(from, out start))
            v.Add("from", "From must be a date like 2027-01-12.");
        else if (Math.Abs(start.DayNumber - today.DayNumber) > MaxYearsAway * 366)
            v.Add("from", $"From must be within {MaxYearsAway} years of today.");
        end = v.IsValid ? start.AddDays(13) : start;
        if (!string.IsNullOrWhiteSpace(to) && !TryDay(to, out end))
            v.Add("to", "To must be a date like 2027-01-31.");
        v.ThrowIfInvalid();
        v.Require(end >= start, "to", "To must be on or after from.");
        v.Require(end.DayNumber - start.DayNumber < BookingsOptions.MaxRangeDays, "to", $"Ask for at most {BookingsOptions.MaxRangeDays} days at a time.");
        v.ThrowIfInvalid();
        return (start, end);
    }

    /// <summary>The resource's future slots in the range with the places left in each.</summary>
    internal static async Task<IReadOnlyList<SlotItem>> SlotsAsync(TenantTransaction tx, Resource resource, DateOnly from, DateOnly to, DateTimeOffset now,
        CancellationToken ct)
    {
        var slots = SlotCalendar.Between(resource, from, to).Where(s => s.Start > now).ToList();
        if (slots.Count == 0) return [];
        var booked = await BookingStore.BookedAsync(tx, resource.Id, slots[0].Start, slots[^1].End, ct).ConfigureAwait(false);
        return slots.Select(s => new SlotItem(s.Id, SlotCalendar.ToLocal(s.Start), SlotCalendar.ToLocal(s.End), resource.Capacity,
            Math.Max(0, resource.Capacity - booked.GetValueOrDefault(s.Key)))).ToList();
    }
}
