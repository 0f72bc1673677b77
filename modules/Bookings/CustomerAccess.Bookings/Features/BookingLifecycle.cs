using CustomerAccess.Bookings.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;

namespace CustomerAccess.Bookings.Features;

/// <summary>
/// The moves of a booking after it is made, shared by the API, the screens, the payment answers and
/// the hold sweep. Each runs in the caller's session on a booking row it has locked (for update), so
/// a payment answer, the sweep and a cancellation of the same booking take turns and each sees the
/// state the previous one committed. A move that no longer applies is a no-op (redelivery is harmless).
/// </summary>
internal static class BookingLifecycle
{
    public static string StreamOf(BookingRow b) => b.Purpose == PaymentPurposes.BulkyCollection ? "bulky-" + b.PurposeId : "booking-" + b.Id;

    private static async Task<BulkyRow> BulkyOfAsync(EventSession session, BookingRow b, CancellationToken ct) =>
        await BookingStore.BulkyAsync(session.Db, b.PurposeId, forUpdate: true, ct).ConfigureAwait(false)
        ?? throw new InvalidOperationException("A bulky booking without its collection.");

    private static async Task<string> ResourceNameAsync(EventSession session, BookingRow b, CancellationToken ct) =>
        (await BookingStore.ResourceAsync(session.Db, b.ResourceId, ct).ConfigureAwait(false))?.Name ?? b.ResourceId;

    /// <summary>Payments says the request was paid.</summary>
    public static async Task PaidAsync(EventSession session, BookingRow b, PaymentRequestPaid paid, DateTimeOffset now, CancellationToken ct)
    {
        if (b.Paid) return; // a repeated answer: already settled one way or the other
        var bulky = b.Purpose == PaymentPurposes.BulkyCollection;
        if (b.Status == BookingStatuses.Held)
        {
            await ConfirmAsync(session, b, paid.PaymentId, now, ct).ConfigureAwait(false);
            return;
        }
        if (b.Status == BookingStatuses.Released)
        {
            // Paid after the hold ran out (or after a failure): take the place again if one is free.
            var resource = await BookingStore.ResourceAsync(session.Db, b.ResourceId, ct).ConfigureAwait(false);
            var slot = resource is null ? null : SlotCalendar.Find(resource, b.SlotId);
            if (resource is not null && slot is not null && await BookingStore.TryReserveAsync(session.Db, resource, slot, ct).ConfigureAwait(false))
            {
                await ConfirmAsync(session, b, paid.PaymentId, now, ct).ConfigureAwait(false);
                return;
            }
            await BookingStore.SetBookingAsync(session.Db, b.Id, BookingStatuses.Released, false, true, now, ct).ConfigureAwait(false);
            await session.SendAsync(new RefundPaymentRequest(paid.PaymentRequestId, "The place was no longer available when payment arrived."), ct)
                .ConfigureAwait(false);
            if (bulky)
            {
                var c = await BulkyOfAsync(session, b, ct).ConfigureAwait(false);
                await BookingStore.SetBulkyAsync(session.Db, c.Id, BulkyStates.ReleasedRefunded, null, now, ct).ConfigureAwait(false);
                await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                    [new BulkyCollectionReleased(c.Id, b.Id, c.CollectionDate, c.Reference, ReleaseReasons.PaidTooLate)], b.CustomerId, ct).ConfigureAwait(false);
            }
            else
            {
                await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                    [new BookingReleased(b.Id, await ResourceNameAsync(session, b, ct).ConfigureAwait(false), b.Start, ReleaseReasons.PaidTooLate, null)],
                    b.CustomerId, ct).ConfigureAwait(false);
            }
            return;
        }
        if (b.Status == BookingStatuses.Cancelled)
        {
            // Cancelled before the money arrived: give it back.
            await BookingStore.SetBookingAsync(session.Db, b.Id, b.Status, false, true, now, ct).ConfigureAwait(false);
            await session.SendAsync(new RefundPaymentRequest(paid.PaymentRequestId, "The booking was cancelled before payment arrived."), ct).ConfigureAwait(false);
        }
    }

    private static async Task ConfirmAsync(EventSession session, BookingRow b, string? paymentId, DateTimeOffset now, CancellationToken ct)
    {
        await BookingStore.SetBookingAsync(session.Db, b.Id, BookingStatuses.Confirmed, true, true, now, ct).ConfigureAwait(false);
        if (b.Purpose == PaymentPurposes.BulkyCollection)
        {
            var c = await BulkyOfAsync(session, b, ct).ConfigureAwait(false);
            await BookingStore.SetBulkyAsync(session.Db, c.Id, BulkyStates.Confirmed, null, now, ct).ConfigureAwait(false);
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BulkyCollectionConfirmed(c.Id, b.Id, c.CollectionDate, c.Reference, paymentId)], b.CustomerId, ct).ConfigureAwait(false);
            await session.SendAsync(new RaiseBulkyWorksOrder(c.Id, b.Id, b.CustomerId, c.Uprn, c.Items, c.CollectionDate), ct).ConfigureAwait(false);
        }
        else
        {
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BookingConfirmed(b.Id, await ResourceNameAsync(session, b, ct).ConfigureAwait(false), b.Start, paymentId, null)], b.CustomerId, ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>A held place is given up (payment failed, hold expired) and the payment request withdrawn.</summary>
    public static async Task ReleaseAsync(EventSession session, BookingRow b, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (b.Status != BookingStatuses.Held || b.Paid) return;
        if (b.HoldsPlace) await BookingStore.FreeAsync(session.Db, b.ResourceId, b.SlotKey, ct).ConfigureAwait(false);
        await BookingStore.SetBookingAsync(session.Db, b.Id, BookingStatuses.Released, false, false, now, ct).ConfigureAwait(false);
        if (b.PaymentRequestId is { } request)
            await session.SendAsync(new PaymentRequestWithdrawn(request, reason), ct).ConfigureAwait(false);
        if (b.Purpose == PaymentPurposes.BulkyCollection)
        {
            var c = await BulkyOfAsync(session, b, ct).ConfigureAwait(false);
            await BookingStore.SetBulkyAsync(session.Db, c.Id, BulkyStates.Released, null, now, ct).ConfigureAwait(false);
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BulkyCollectionReleased(c.Id, b.Id, c.CollectionDate, c.Reference, reason)], b.CustomerId, ct).ConfigureAwait(false);
        }
        else
        {
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BookingReleased(b.Id, await ResourceNameAsync(session, b, ct).ConfigureAwait(false), b.Start, reason, null)], b.CustomerId, ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>DELETE /bookings/{id}: the place is freed; a paid booking is refunded, an unpaid request withdrawn.</summary>
    public static async Task CancelAsync(EventSession session, BookingRow b, DateTimeOffset now, CancellationToken ct)
    {
        if (b.Status is not (BookingStatuses.Held or BookingStatuses.Confirmed))
            throw new ApiProblemException(409, "Conflict", $"This booking is already {b.Status}.") { Extensions = { ["currentStatus"] = b.Status } };
        if (b.HoldsPlace) await BookingStore.FreeAsync(session.Db, b.ResourceId, b.SlotKey, ct).ConfigureAwait(false);
        await BookingStore.SetBookingAsync(session.Db, b.Id, BookingStatuses.Cancelled, false, b.Paid, now, ct).ConfigureAwait(false);
        var refund = b.Paid && b.PaymentRequestId is not null && b.AmountPence > 0;
        if (b.PaymentRequestId is { } request)
        {
            if (refund) await session.SendAsync(new RefundPaymentRequest(request, "Booking cancelled."), ct).ConfigureAwait(false);
            else await session.SendAsync(new PaymentRequestWithdrawn(request, "cancelled"), ct).ConfigureAwait(false);
        }
        if (b.Purpose == PaymentPurposes.BulkyCollection)
        {
            var c = await BulkyOfAsync(session, b, ct).ConfigureAwait(false);
            await BookingStore.SetBulkyAsync(session.Db, c.Id, BulkyStates.Cancelled, null, now, ct).ConfigureAwait(false);
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BulkyCollectionCancelled(c.Id, b.Id, c.CollectionDate, c.Reference, refund)], b.CustomerId, ct).ConfigureAwait(false);
            // Once confirmed, Waste was asked for a works order (it may not have raised it yet): call it off.
            if (c.State is BulkyStates.Confirmed or BulkyStates.WorksOrderRaised)
                await session.SendAsync(new CancelBulkyWorksOrder(c.Id, b.Id), ct).ConfigureAwait(false);
        }
        else
        {
            await session.AppendAsync(StreamOf(b), ExpectedVersion.Any,
                [new BookingCancelled(b.Id, await ResourceNameAsync(session, b, ct).ConfigureAwait(false), b.Start, refund, null)], b.CustomerId, ct)
                .ConfigureAwait(false);
        }
    }
}
