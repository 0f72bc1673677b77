using System.Security.Cryptography;
using System.Text;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Bookings.Features;

/// <summary>
/// POST /bookings, DELETE /bookings/{id}, GET /bookings/{id}, GET /bookings?customerId= or ?reference=. A place is
/// taken under the slot row's lock in the booking's own transaction, so a slot is never over-booked.
/// A free booking is confirmed at once; a charged one is held until Payments answers (or the hold expires).
/// </summary>
internal static class Bookings
{
    internal sealed record Request(string? CustomerId, string? SlotId, string? IdempotencyKey);

    internal sealed record View(
        string Id, string CustomerId, string ResourceId, string ResourceName, string ResourceType, string SlotId, DateTimeOffset Start,
        DateTimeOffset End, string Status, long AmountPence, string Purpose, string? BulkyCollectionId, PaymentDue? PaymentDue, DateTimeOffset? ExpiresAt,
        string? Reference);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/bookings", Make).RequireAuthorization(Policies.Casework).WithName("MakeBooking");
        api.MapDelete("/bookings/{id}", Cancel).RequireAuthorization(Policies.Casework).WithName("CancelBooking");
        api.MapGet("/bookings/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetBooking");
        api.MapGet("/bookings", List).RequireAuthorization(Policies.Read).WithName("ListBookings");
    }

    private static async Task<IResult> Make(Request? body, HttpContext http, EventStore store, ICouncilDirectory councils, BookingsOptions options,
        TimeProvider time, CancellationToken ct)
    {
        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var (view, created) = await MakeAsync(session, councils, body, options, time.GetUtcNow(), ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return created ? Results.Created($"/api/councils/{council}/bookings/{view.Id}", view) : Results.Ok(view);
    }

    /// <summary>Validates and books in the session (nothing is written on a refusal); the caller commits. False: a repeat of an idempotent request.</summary>
    internal static async Task<(View View, bool Created)> MakeAsync(EventSession session, ICouncilDirectory councils, Request? body, BookingsOptions options,
        DateTimeOffset now, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId and slotId is required.");
        var customerId = body.CustomerId?.Trim();
        var key = string.IsNullOrWhiteSpace(body.IdempotencyKey) ? null : body.IdempotencyKey.Trim();
        var v = new Validator();
        v.Require(!string.IsNullOrWhiteSpace(customerId), "customerId", "Say which customer the booking is for.");
        v.Require(SlotCalendar.Parse(body.SlotId) is not null, "slotId", "Choose a slot from the resource's availability.");
        v.Require((key?.Length ?? 0) <= 100, "idempotencyKey", "The idempotency key must be 100 characters or fewer.");
        v.ThrowIfInvalid();
        var db = session.Db;

        string? hash = null;
        if (key is not null)
        {
            hash = Hash(customerId, body.SlotId);
            if (await RepeatOfAsync(session, key, hash, ct).ConfigureAwait(false) is { } existing)
                return (await ViewAsync(db, existing, options, ct).ConfigureAwait(false), false);
        }

        var (resource, slot) = await SlotAsync(db, body.SlotId!, now, ct).ConfigureAwait(false);
        // A bulky-waste place booked here is a plain booking (no address or items, so no works order);
        // /waste/bulky-collections is the collection journey. Refusing it would fail clients that book
        // whichever resource the list gives them first.
        await RequireCustomerAsync(session, customerId!, ct).ConfigureAwait(false);
        var charged = resource.PricePence > 0;
        // Asked before the place is taken, so the slot's row lock is not held over the directory's query.
        var council = charged ? await councils.RequireAsync(session.Tenant, ct).ConfigureAwait(false) : null;
        if (!await BookingStore.TryReserveAsync(db, resource, slot, ct).ConfigureAwait(false))
            throw ApiProblemException.Conflict("This slot is fully booked.");

        var id = Guid.CreateVersion7().ToString();
        var paymentRequestId = charged ? Guid.CreateVersion7() : (Guid?)null;
        var expiresAt = charged ? now + options.Hold : (DateTimeOffset?)null;
        var status = charged ? BookingStatuses.Held : BookingStatuses.Confirmed;
        string? reference = null;
        if (council is not null)
            reference = BookingReferences.Booking(council, await BookingStore.NextNumberAsync(db, BookingReferences.BookingCounter, ct).ConfigureAwait(false));
        var row = new BookingRow(id, customerId!, resource.Id, slot.Key, slot.Start, slot.End, status, true, resource.PricePence, paymentRequestId,
            reference, false, PaymentPurposes.Booking, id, expiresAt, key, hash, now);
        await BookingStore.InsertBookingAsync(db, row, ct).ConfigureAwait(false);
        await session.AppendAsync("booking-" + id, ExpectedVersion.NoStream,
            [new BookingMade(id, resource.Id, resource.Name, resource.Type, slot.Id, slot.Start, slot.End, status, resource.PricePence, paymentRequestId,
                reference, expiresAt)], customerId, ct).ConfigureAwait(false);
        PaymentDue? due = null;
        if (charged)
        {
            var fund = FundFor(resource.Type, options);
            due = new PaymentDue(paymentRequestId!.Value, fund, resource.PricePence, reference!, expiresAt);
            await session.SendAsync(new PaymentRequested(paymentRequestId.Value, customerId, fund, resource.PricePence, PaymentPurposes.Booking, id,
                reference!, $"{resource.Name}, {SlotCalendar.DayTime(slot.Start)}", expiresAt), ct).ConfigureAwait(false);
        }
        return (new View(id, customerId!, resource.Id, resource.Name, resource.Type, slot.Id, SlotCalendar.ToLocal(slot.Start), SlotCalendar.ToLocal(slot.End),
            status, resource.PricePence, PaymentPurposes.Booking, null, due, expiresAt, reference), true);
    }

    /// <summary>The fund a booking of this kind of resource is paid into.</summary>
    internal static string FundFor(string? resourceType, BookingsOptions options) =>
        resourceType == ResourceTypes.BulkyWaste ? BulkyCollections.Fund : options.Fund;

    internal static string Hash(params string?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))));

    /// <summary>
    /// The booking an earlier request with this idempotency key made (null: none yet). Duplicates of one
    /// key take turns on a transaction-scoped lock, so the second sees the first's booking once it
    /// commits; the same key with a different request is a 409.
    /// </summary>
    internal static async Task<BookingRow?> RepeatOfAsync(EventSession session, string key, string hash, CancellationToken ct)
    {
        await using (var lockCmd = session.Db.Command("select pg_advisory_xact_lock(hashtextextended('bookings.idempotency:' || $1 || ':' || $2, 0))"))
        {
            lockCmd.Parameters.AddWithValue(session.Tenant);
            lockCmd.Parameters.AddWithValue(key);
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var existing = await BookingStore.BookingByKeyAsync(session.Db, key, ct).ConfigureAwait(false);
        if (existing is not null && existing.RequestHash != hash) throw ApiProblemException.Conflict("This idempotency key was used for a different request.");
        return existing;
    }

    /// <summary>The resource and slot a slot id names: 400 unless it is a future slot of a resource of this council.</summary>
    internal static async Task<(Resource Resource, Slot Slot)> SlotAsync(TenantTransaction db, string slotId, DateTimeOffset now, CancellationToken ct)
    {
        var parsed = SlotCalendar.Parse(slotId) ?? throw ApiProblemException.Validation("slotId", "Choose a slot from the resource's availability.");
        var resource = await BookingStore.ResourceAsync(db, parsed.ResourceId, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.Validation("slotId", "There is no such resource in this council.");
        var slot = SlotCalendar.Find(resource, slotId) ?? throw ApiProblemException.Validation("slotId", "The resource has no such slot.");
        if (slot.Start <= now) throw ApiProblemException.Validation("slotId", "That slot has already started.");
        if (slot.Start > now.AddDays(366)) throw ApiProblemException.Validation("slotId", "Bookings open at most a year ahead.");
        return (resource, slot);
    }

    internal static async Task RequireCustomerAsync(EventSession session, string customerId, CancellationToken ct)
    {
        if (customerId.Length > 100 || await session.StreamVersionAsync(CustomerStreams.For(customerId), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
    }

    private static async Task<IResult> Cancel(string id, HttpContext http, EventStore store, BookingsOptions options, TimeProvider time, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var view = await CancelAsync(session, id, options, time.GetUtcNow(), ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(view);
    }

    internal static async Task<View> CancelAsync(EventSession session, string id, BookingsOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var booking = await BookingStore.BookingAsync(session.Db, id, forUpdate: true, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The booking");
        await BookingLifecycle.CancelAsync(session, booking, now, ct).ConfigureAwait(false);
        var after = await BookingStore.BookingAsync(session.Db, id, forUpdate: false, ct).ConfigureAwait(false);
        return await ViewAsync(session.Db, after!, options, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> Get(string id, HttpContext http, PlatformDatabase db, BookingsOptions options, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var booking = await BookingStore.BookingAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The booking");
        return Results.Ok(await ViewAsync(tx, booking, options, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> List(string? customerId, string? reference, HttpContext http, PlatformDatabase db, BookingsOptions options,
        CancellationToken ct)
    {
        // ?reference= present but blank is the advisor's lookup gone wrong (400 on reference), not a request for a customer's list.
        if (http.Request.Query.ContainsKey("reference"))
        {
            var wanted = CheckReference(reference);
            await using var found = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
            return Results.Ok(new { items = await FindByReferenceAsync(found, wanted, options, ct).ConfigureAwait(false) });
        }
        if (string.IsNullOrWhiteSpace(customerId)) throw ApiProblemException.Validation("customerId", "Say whose bookings to list, or give a booking reference.");
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var items = await ListAsync(tx, customerId.Trim(), options, ct).ConfigureAwait(false);
        return Results.Ok(new { items });
    }

    /// <summary>The reference to look up, trimmed and in capitals; 400 on <c>reference</c> if it is blank or too long to be one.</summary>
    internal static string CheckReference(string? reference)
    {
        var wanted = BookingReferences.Normalise(reference ?? "");
        new Validator()
            .Require(wanted.Length > 0, "reference", "Enter the booking reference the resident was given.")
            .Require(wanted.Length <= BookingReferences.MaxLength, "reference", $"A booking reference is at most {BookingReferences.MaxLength} characters.")
            .ThrowIfInvalid();
        return wanted;
    }

    /// <summary>
    /// The council's bookings with this reference (a bulky collection's booking carries its BW one), in
    /// the shape every booking route answers. Row-level security keeps it to this council, so another
    /// council's reference, or its older BK-000123 of the same number, is not found.
    /// </summary>
    internal static async Task<IReadOnlyList<View>> FindByReferenceAsync(TenantTransaction tx, string reference, BookingsOptions options, CancellationToken ct)
    {
        var list = new List<View>();
        foreach (var b in await BookingStore.BookingsByReferenceAsync(tx, reference, ct).ConfigureAwait(false))
            list.Add(await ViewAsync(tx, b, options, ct).ConfigureAwait(false));
        return list;
    }

    internal static async Task<IReadOnlyList<View>> ListAsync(TenantTransaction tx, string customerId, BookingsOptions options, CancellationToken ct)
    {
        var list = new List<View>();
        foreach (var b in await BookingStore.CustomerBookingsAsync(tx, customerId, ct).ConfigureAwait(false))
            list.Add(await ViewAsync(tx, b, options, ct).ConfigureAwait(false));
        return list;
    }

    internal static async Task<View?> FindAsync(TenantTransaction tx, string id, BookingsOptions options, CancellationToken ct) =>
        await BookingStore.BookingAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false) is { } b ? await ViewAsync(tx, b, options, ct).ConfigureAwait(false) : null;

    internal static async Task<View> ViewAsync(TenantTransaction tx, BookingRow b, BookingsOptions options, CancellationToken ct)
    {
        var resource = await BookingStore.ResourceAsync(tx, b.ResourceId, ct).ConfigureAwait(false);
        var bulky = b.Purpose == PaymentPurposes.BulkyCollection;
        PaymentDue? due = null;
        if (b.Status == BookingStatuses.Held && b.PaymentRequestId is { } request)
        {
            due = new PaymentDue(request, bulky ? BulkyCollections.Fund : FundFor(resource?.Type, options), b.AmountPence, b.Reference ?? "", b.ExpiresAt);
        }
        return new View(b.Id, b.CustomerId, b.ResourceId, bulky ? BulkyText.ResourceName : resource?.Name ?? b.ResourceId, resource?.Type ?? "",
            b.SlotId, SlotCalendar.ToLocal(b.Start), SlotCalendar.ToLocal(b.End), b.Status, b.AmountPence, b.Purpose, bulky ? b.PurposeId : null, due,
            b.ExpiresAt, b.Reference);
    }
}
