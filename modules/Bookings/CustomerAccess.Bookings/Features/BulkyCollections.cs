using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Bookings.Features;

/// <summary>
/// POST /waste/bulky-collections (Bookings owns the route): in one transaction it takes a place on a
/// bulky-waste round's day (held), records the collection as a process (stream bulky-{id}, table
/// bulky_collections: held → awaiting-payment) and sends PaymentRequested (purpose bulky-collection,
/// fund bulky-waste) through the outbox. Payments' answers, Waste's works order and the hold sweep move it on.
/// GET /waste/bulky-collections/{id} shows where it has got to.
/// </summary>
internal static partial class BulkyCollections
{
    public const string Fund = "bulky-waste";
    public const int MaxItems = 10;
    public const int MaxItemLength = 60;

    internal sealed record Request(string? CustomerId, string? Uprn, IReadOnlyList<string?>? Items, string? SlotId, string? IdempotencyKey = null);

    internal sealed record Booked(string Id, string BookingId, string State, DateOnly CollectionDate, PaymentDue PaymentDue);

    internal sealed record View(
        string Id, string BookingId, string CustomerId, long Uprn, IReadOnlyList<string> Items, DateOnly CollectionDate, string State,
        string Reference, long AmountPence, DateTimeOffset ExpiresAt, string? WorksOrderId, PaymentDue? PaymentDue);

    [GeneratedRegex("^[1-9][0-9]{0,11}$")]
    private static partial Regex UprnPattern();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/waste/bulky-collections", Handle).RequireAuthorization(Policies.Casework).WithName("BookBulkyCollection");
        api.MapGet("/waste/bulky-collections/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetBulkyCollection");
    }

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, IMediator mediator, ICouncilDirectory councils,
        BookingsOptions options, TimeProvider time, CancellationToken ct)
    {
        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var (booked, created) = await BookOrRepeatAsync(session, mediator, councils, body, options, time.GetUtcNow(), ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return created ? Results.Created($"/api/councils/{council}/waste/bulky-collections/{booked.Id}", booked) : Results.Ok(booked);
    }

    internal static (string? Uprn, List<string> Items) Clean(Request body) =>
        (body.Uprn?.Trim(), (body.Items ?? []).Select(i => i?.Trim() ?? "").ToList());

    internal static Validator Validate(Request body)
    {
        var (uprn, items) = Clean(body);
        var v = new Validator();
        v.Require(!string.IsNullOrWhiteSpace(body.CustomerId), "customerId", "Say which customer the collection is for.");
        v.Require(uprn is not null && UprnPattern().IsMatch(uprn), "uprn", "Choose the address (a UPRN: 1 to 12 digits, not starting with 0).");
        v.Require(items.Count is >= 1 and <= MaxItems, "items", $"List between 1 and {MaxItems} items.");
        v.Require(items.All(i => i.Length is > 0 and <= MaxItemLength), "items", $"Each item needs a short name of at most {MaxItemLength} characters.");
        v.Require(SlotCalendar.Parse(body.SlotId) is not null, "slotId", "Choose a collection day.");
        return v;
    }

    /// <summary>
    /// The collection address must be a current property in this council's gazetteer, as a customer's
    /// address must (another council's UPRN is not found: the lookup runs under this council's
    /// row-level security). Bookings keeps no gazetteer, so it asks the Customer module's through the
    /// mediator (contracts' <see cref="FindGazetteerAddress"/>).
    /// </summary>
    internal static async Task RequireAddressAsync(IMediator mediator, string council, string uprn, CancellationToken ct)
    {
        var property = long.Parse(uprn, NumberStyles.None, CultureInfo.InvariantCulture);
        if (await mediator.Send(new FindGazetteerAddress(council, property), ct).ConfigureAwait(false) is not { Current: true })
            throw ApiProblemException.Validation("uprn", "This UPRN is not a current address in the council's gazetteer.");
    }

    /// <summary>
    /// With an idempotencyKey, a repeat of the same request answers with the collection the first one
    /// made (false) instead of holding a second day; the same key with a different request is a 409.
    /// </summary>
    internal static async Task<(Booked Booked, bool Created)> BookOrRepeatAsync(EventSession session, IMediator mediator, ICouncilDirectory councils,
        Request? body, BookingsOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var key = string.IsNullOrWhiteSpace(body?.IdempotencyKey) ? null : body.IdempotencyKey.Trim();
        if (body is null || key is null) return (await BookAsync(session, mediator, councils, body, options, now, ct).ConfigureAwait(false), true);
        if (key.Length > 100) throw ApiProblemException.Validation("idempotencyKey", "The idempotency key must be 100 characters or fewer.");
        var (uprn, items) = Clean(body);
        var hash = Bookings.Hash([body.CustomerId?.Trim(), uprn, body.SlotId?.Trim(), .. items]);
        if (await Bookings.RepeatOfAsync(session, key, hash, ct).ConfigureAwait(false) is { } existing)
        {
            var c = await BookingStore.BulkyAsync(session.Db, existing.PurposeId, forUpdate: false, ct).ConfigureAwait(false)
                ?? throw ApiProblemException.Conflict("This idempotency key was used for a different request.");
            return (new Booked(c.Id, c.BookingId, c.State, c.CollectionDate, new PaymentDue(c.PaymentRequestId, Fund, c.AmountPence, c.Reference, c.ExpiresAt)), false);
        }
        return (await BookAsync(session, mediator, councils, body, options, now, ct, key, hash).ConfigureAwait(false), true);
    }

    /// <summary>Validates and books in the session (nothing is written on a refusal); the caller commits.</summary>
    internal static async Task<Booked> BookAsync(EventSession session, IMediator mediator, ICouncilDirectory councils, Request? body, BookingsOptions options,
        DateTimeOffset now, CancellationToken ct, string? idempotencyKey = null, string? requestHash = null)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, uprn, items and slotId is required.");
        Validate(body).ThrowIfInvalid();
        var (uprn, items) = Clean(body);
        await RequireAddressAsync(mediator, session.Tenant, uprn!, ct).ConfigureAwait(false);
        var customerId = body.CustomerId!.Trim();
        var db = session.Db;
        var (resource, slot) = await Bookings.SlotAsync(db, body.SlotId!.Trim(), now, ct).ConfigureAwait(false);
        if (resource.Type != ResourceTypes.BulkyWaste) throw ApiProblemException.Validation("slotId", "Choose a bulky waste collection day.");
        await Bookings.RequireCustomerAsync(session, customerId, ct).ConfigureAwait(false);
        // Asked before the place is taken, so the slot's row lock is not held over the directory's query.
        var council = await councils.RequireAsync(session.Tenant, ct).ConfigureAwait(false);
        if (!await BookingStore.TryReserveAsync(db, resource, slot, ct).ConfigureAwait(false))
            throw ApiProblemException.Conflict("There are no collections left on that day.");

        var id = Guid.CreateVersion7().ToString();
        var bookingId = Guid.CreateVersion7().ToString();
        var paymentRequestId = Guid.CreateVersion7();
        var expiresAt = now + options.Hold;
        var reference = BookingReferences.BulkyCollection(council, await BookingStore.NextNumberAsync(db, BookingReferences.BulkyCounter, ct).ConfigureAwait(false));
        var date = slot.LocalDate;
        await BookingStore.InsertBookingAsync(db, new BookingRow(bookingId, customerId, resource.Id, slot.Key, slot.Start, slot.End, BookingStatuses.Held,
            true, resource.PricePence, paymentRequestId, reference, false, PaymentPurposes.BulkyCollection, id, expiresAt, idempotencyKey, requestHash, now), ct).ConfigureAwait(false);
        await BookingStore.InsertBulkyAsync(db, new BulkyRow(id, bookingId, customerId, uprn!, items, date, BulkyStates.Held, paymentRequestId, reference,
            resource.PricePence, expiresAt, null), now, ct).ConfigureAwait(false);
        await session.AppendAsync("bulky-" + id, ExpectedVersion.NoStream,
            [new BulkyCollectionBooked(id, bookingId, slot.Id, date, slot.Start, slot.End, uprn, items, resource.PricePence, paymentRequestId, reference,
                expiresAt)], customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new PaymentRequested(paymentRequestId, customerId, Fund, resource.PricePence, PaymentPurposes.BulkyCollection, id, reference,
            $"Bulky waste collection, {SlotCalendar.Day(date)}, {items.Count} item{(items.Count == 1 ? "" : "s")}", expiresAt), ct).ConfigureAwait(false);
        await BookingStore.SetBulkyAsync(db, id, BulkyStates.AwaitingPayment, null, now, ct).ConfigureAwait(false);
        return new Booked(id, bookingId, BulkyStates.AwaitingPayment, date, new PaymentDue(paymentRequestId, Fund, resource.PricePence, reference, expiresAt));
    }

    private static async Task<IResult> Get(string id, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(await FindAsync(tx, id, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The bulky collection"));
    }

    internal static async Task<View?> FindAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        var c = await BookingStore.BulkyAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false);
        if (c is null) return null;
        var due = c.State == BulkyStates.AwaitingPayment ? new PaymentDue(c.PaymentRequestId, Fund, c.AmountPence, c.Reference, c.ExpiresAt) : null;
        // Stored as text (as the resident's form gave it, already checked to be digits); every route answers a UPRN as a number.
        var uprn = long.Parse(c.Uprn, NumberStyles.None, CultureInfo.InvariantCulture);
        return new View(c.Id, c.BookingId, c.CustomerId, uprn, c.Items, c.CollectionDate, c.State, c.Reference, c.AmountPence, c.ExpiresAt, c.WorksOrderId, due);
    }
}
