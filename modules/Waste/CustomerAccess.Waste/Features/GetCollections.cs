using System.Globalization;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// GET /waste/collections?uprn= (signed in, Policies.Read): the property's next collection per
/// container, bank-holiday shifts applied. GET /waste/collections.ics?uprn= is the same as an
/// iCalendar feed of the next eight weeks, with no sign-in: bin days are public, and the feed says
/// nothing about who lives there.
/// </summary>
internal static class GetCollections
{
    public const int FeedWeeks = 8;

    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder endpoints)
    {
        api.MapGet("/waste/collections", Handle).RequireAuthorization(Policies.Read).WithName("WasteCollections");
        // Outside the council group: its filter answers 403 to anyone not signed in for the council.
        endpoints.MapGet("/api/councils/{council}/waste/collections.ics", Calendar).AllowAnonymous().WithTags("Waste").WithName("WasteCollectionsCalendar");
    }

    private static async Task<IResult> Handle(string? uprn, HttpContext http, EventStore store, ICouncilDirectory directory, WasteClock clock,
        CancellationToken ct)
    {
        var property = Rounds.ParseUprn(uprn);
        var next = await NextAsync(store, directory, clock, http.Council(), property, ct).ConfigureAwait(false);
        return Results.Ok(new
        {
            uprn = property,
            items = next.Select(n => new { container = n.Container, nextCollection = CollectionCalendar.Text(n.Date), frequency = n.Frequency, round = n.Round })
                .ToList(),
            next = (string?)null,
        });
    }

    internal sealed record NextCollection(string Container, DateOnly Date, string Frequency, string Round, string RoundName);

    /// <summary>The property's next collection per container (bank-holiday shifts applied); 404 when it is on no round. The endpoint and the bin-days screen call this.</summary>
    public static async Task<IReadOnlyList<NextCollection>> NextAsync(EventStore store, ICouncilDirectory directory, WasteClock clock, string council, long uprn,
        CancellationToken ct)
    {
        var (rounds, holidays) = await LoadAsync(store, directory, council, uprn, ct).ConfigureAwait(false);
        var today = CollectionCalendar.LocalDate(clock.UtcNow);
        return rounds.Select(r => new NextCollection(r.Container, CollectionCalendar.Next(r, today, holidays), r.Frequency, r.Id, r.Name)).ToList();
    }

    private static async Task<IResult> Calendar(string council, string? uprn, HttpContext http, EventStore store, ICouncilDirectory directory,
        WasteClock clock, CancellationToken ct)
    {
        if (!await directory.ExistsAsync(council, ct).ConfigureAwait(false)) throw ApiProblemException.NotFound("The council");
        var property = Rounds.ParseUprn(uprn);
        var (rounds, holidays) = await LoadAsync(store, directory, council, property, ct).ConfigureAwait(false);
        var info = await directory.GetAsync(council, ct).ConfigureAwait(false);
        var now = clock.UtcNow;
        var today = CollectionCalendar.LocalDate(now);
        var until = today.AddDays(7 * FeedWeeks - 1);
        var events = rounds
            .SelectMany(r => CollectionCalendar.Collections(r, today, until, holidays).Select(d => (Round: r, Date: d)))
            .OrderBy(x => x.Date).ThenBy(x => Containers.All.ToList().IndexOf(x.Round.Container))
            .Select(x => new ICalendar.DayEvent(
                $"{council}-{property}-{x.Round.Container}-{x.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}@customeraccess",
                x.Date,
                $"{Title(x.Round.Container)} collection",
                $"{Title(x.Round.Container)} collection ({x.Round.Frequency}). Put your bin out by 7am on collection day. " +
                $"Dates already allow for bank holidays. {info?.Name ?? council}{(string.IsNullOrEmpty(info?.ContactNumber) ? "" : ", " + info.ContactNumber)}."))
            .ToList();
        var body = ICalendar.Write($"Bin collections for UPRN {property}", events, now);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(body, "text/calendar; charset=utf-8", System.Text.Encoding.UTF8);
    }

    private static string Title(string container) => char.ToUpperInvariant(container[0]) + container[1..];

    private static async Task<(IReadOnlyList<Round>, IReadOnlySet<DateOnly>)> LoadAsync(EventStore store, ICouncilDirectory directory, string council,
        long uprn, CancellationToken ct)
    {
        IReadOnlyList<Round> rounds;
        await using (var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false))
            rounds = await Rounds.ForUprnAsync(tx.Connection, tx.Transaction, council, uprn, ct).ConfigureAwait(false);
        if (rounds.Count == 0)
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", "This property is not on any collection round of this council.");
        return (rounds, await Rounds.HolidaysAsync(directory, council, ct).ConfigureAwait(false));
    }
}
