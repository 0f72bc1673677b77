using System.Globalization;
using CustomerAccess.Customer.Domain;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Customer.Timeline;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// GET /customers/{id}/history?asAt=: the customer's own record as it stood at an instant, rebuilt
/// from the events alone, so later changes of details and merges do not show.
/// </summary>
internal static class History
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/customers/{id}/history", Handle).RequireAuthorization(Policies.Read).WithName("CustomerHistory");

    private static async Task<IResult> Handle(string id, string? asAt, HttpContext http, EventStore store, IAddressBook addresses, CancellationToken ct)
    {
        var instant = ParseAsAt(asAt);
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var state = await CustomerRecord.LoadAsync(session, id, ct, AsAt.FromTime(instant)).ConfigureAwait(false);
        var address = state.Uprn is { } u ? await addresses.FindAsync(session.Db, u, ct).ConfigureAwait(false) : null;
        return Results.Ok(new
        {
            id, asAt = instant ?? DateTimeOffset.UtcNow, state.FirstName, state.LastName, state.Email, state.Phone, state.DateOfBirth,
            address = address is null ? null : new { uprn = address.Uprn, lines = address.Lines, postcode = address.Postcode },
            flags = state.Flags.Values.Select(f => new { id = f.FlagId, f.Kind, description = CustomerFlags.Describe(f.Kind), f.Reason, f.ReviewOn }),
            erased = state.Erased, version = state.Version,
        });
    }

    /// <summary>asAt is an ISO 8601 instant; one without an offset is taken as UTC.</summary>
    internal static DateTimeOffset? ParseAsAt(string? asAt)
    {
        if (string.IsNullOrWhiteSpace(asAt)) return null;
        // An unencoded "+01:00" offset arrives as " 01:00" (a query's + is a space): read it as the offset, as Open311 does.
        if (DateTimeOffset.TryParse(asAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ||
            DateTimeOffset.TryParse(asAt.Trim().Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
            return t;
        throw ApiProblemException.Validation("asAt", "asAt must be an ISO 8601 date and time, like 2026-11-01T09:30:00Z.");
    }

    /// <summary>Every event about the customer and the duplicates merged into it, as known at the instant.</summary>
    internal static async Task<List<StoredEvent>> EventsAsync(EventSession session, string id, AsAt? asAt, CancellationToken ct)
    {
        var state = await CustomerRecord.LoadAsync(session, id, ct, asAt).ConfigureAwait(false);
        var events = new List<StoredEvent>(await session.ReadCustomerEventsAsync(id, asAt, ct).ConfigureAwait(false));
        var pending = new Queue<string>(state.MergedDuplicates);
        var seen = new HashSet<string> { id };
        while (pending.TryDequeue(out var duplicate))
        {
            if (!seen.Add(duplicate)) continue;
            var theirs = await session.ReadCustomerEventsAsync(duplicate, asAt, ct).ConfigureAwait(false);
            events.AddRange(theirs);
            foreach (var m in theirs.Select(e => e.Data).OfType<CustomerMerged>()) pending.Enqueue(m.DuplicateId);
        }
        events.Sort((a, b) => a.Position.CompareTo(b.Position));
        return events;
    }

    internal static List<TimelineEntry> Entries(IEnumerable<StoredEvent> events) =>
        events.Select(TimelineEntries.From).OfType<TimelineEntry>().ToList();
}
