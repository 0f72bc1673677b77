using CustomerAccess.Contracts;
using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Bookings.Features;

/// <summary>Payments' answers to this module's payment requests (others' purposes are ignored).</summary>
internal sealed class PaymentPaidHandler(TimeProvider time) : IMessageHandler<PaymentRequestPaid>
{
    public async Task HandleAsync(PaymentRequestPaid message, MessageContext context, CancellationToken ct)
    {
        if (message.Purpose is not (PaymentPurposes.Booking or PaymentPurposes.BulkyCollection)) return;
        var booking = await BookingStore.BookingByPaymentRequestAsync(context.Session.Db, message.PaymentRequestId, ct).ConfigureAwait(false);
        if (booking is null) return;
        await BookingLifecycle.PaidAsync(context.Session, booking, message, time.GetUtcNow(), ct).ConfigureAwait(false);
    }
}

internal sealed class PaymentFailedHandler(TimeProvider time) : IMessageHandler<PaymentRequestFailed>
{
    public async Task HandleAsync(PaymentRequestFailed message, MessageContext context, CancellationToken ct)
    {
        if (message.Purpose is not (PaymentPurposes.Booking or PaymentPurposes.BulkyCollection)) return;
        var booking = await BookingStore.BookingByPaymentRequestAsync(context.Session.Db, message.PaymentRequestId, ct).ConfigureAwait(false);
        if (booking is null) return;
        await BookingLifecycle.ReleaseAsync(context.Session, booking, Domain.ReleaseReasons.PaymentFailed, time.GetUtcNow(), ct).ConfigureAwait(false);
    }
}

/// <summary>Waste raised the contractor's works order for a confirmed bulky collection.</summary>
internal sealed class BulkyWorksOrderRaisedHandler(TimeProvider time) : IMessageHandler<BulkyWorksOrderRaised>
{
    public async Task HandleAsync(BulkyWorksOrderRaised message, MessageContext context, CancellationToken ct)
    {
        var db = context.Session.Db;
        var c = await BookingStore.BulkyAsync(db, message.BulkyCollectionId, forUpdate: true, ct).ConfigureAwait(false);
        if (c is null || c.WorksOrderId is not null || c.State != Domain.BulkyStates.Confirmed) return;
        await BookingStore.SetBulkyAsync(db, c.Id, Domain.BulkyStates.WorksOrderRaised, message.WorksOrderId, time.GetUtcNow(), ct).ConfigureAwait(false);
        await context.Session.AppendAsync("bulky-" + c.Id, Platform.EventStore.ExpectedVersion.Any,
            [new Domain.BulkyWorksOrderRecorded(c.Id, c.BookingId, c.CollectionDate, c.Reference, message.WorksOrderId)], c.CustomerId, ct)
            .ConfigureAwait(false);
    }
}
