using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Waste.Domain;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Bookings confirmed a paid bulky waste collection (contracts' RaiseBulkyWorksOrder): raise a
/// works order of kind bulky-collection for that customer, property, day and items, send it to the
/// contractor like every other order, and answer BulkyWorksOrderRaised. One works order per
/// BulkyCollectionId: the key is claimed in this transaction, so a repeated request (a new message
/// for the same collection) raises nothing new and answers with the same works order.
/// </summary>
internal sealed class RaiseBulkyWorksOrderHandler : IMessageHandler<RaiseBulkyWorksOrder>
{
    public const int MaxItems = 20;

    public async Task HandleAsync(RaiseBulkyWorksOrder message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var worksOrderId = Guid.CreateVersion7().ToString();
        await using (var claim = session.Db.Command("""
            insert into waste.bulky_collection_keys (tenant_id, bulky_collection_id, works_order_id) values ($1, $2, $3)
            on conflict (tenant_id, bulky_collection_id) do update set works_order_id = waste.bulky_collection_keys.works_order_id
            returning works_order_id, (xmax = 0) as inserted, cancelled_at is not null as cancelled
            """))
        {
            claim.Parameters.AddWithValue(context.Tenant);
            claim.Parameters.AddWithValue(message.BulkyCollectionId);
            claim.Parameters.AddWithValue(worksOrderId);
            await using var r = await claim.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            if (!r.GetBoolean(1))
            {
                // Cancelled before it was raised (the cancellation claimed the key first): raise nothing.
                if (r.GetBoolean(2) || r.IsDBNull(0)) return;
                var existing = r.GetString(0);
                await r.DisposeAsync().ConfigureAwait(false);
                await session.SendAsync(new BulkyWorksOrderRaised(message.BulkyCollectionId, message.BookingId, existing), ct).ConfigureAwait(false);
                return;
            }
        }
        if (!long.TryParse(message.Uprn, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uprn)
            || uprn is <= 0 or > Rounds.MaxUprn)
            throw new InvalidOperationException("RaiseBulkyWorksOrder carries a UPRN that is not 1 to 12 digits."); // dead-lettered for a person to look at
        var items = message.Items.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Select(i => i.Length > 60 ? i[..60] : i).Take(MaxItems).ToList();
        await session.AppendAsync(WasteStreams.WorksOrder(worksOrderId), ExpectedVersion.NoStream,
            [new BulkyCollectionOrdered(message.BulkyCollectionId, message.BookingId, worksOrderId, uprn, items, message.CollectionDate)],
            message.CustomerId, ct).ConfigureAwait(false);
        await session.SendAsync(new SendWorksOrderToContractor(worksOrderId), ct).ConfigureAwait(false);
        await session.SendAsync(new BulkyWorksOrderRaised(message.BulkyCollectionId, message.BookingId, worksOrderId), ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Bookings cancelled a confirmed bulky collection (contracts' CancelBulkyWorksOrder): the works
/// order raised for it is cancelled (on the customer's timeline) and, when the contractor already
/// holds it, the contractor is told (WorksOrders.MoveAsync). The cancellation may arrive before
/// the raise: it then claims the key as cancelled and the raise does nothing. A repeat is harmless.
/// An order the contractor has already completed is left as it is.
/// </summary>
internal sealed class CancelBulkyWorksOrderHandler : IMessageHandler<CancelBulkyWorksOrder>
{
    public async Task HandleAsync(CancelBulkyWorksOrder message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        string? worksOrderId;
        await using (var claim = session.Db.Command("""
            insert into waste.bulky_collection_keys (tenant_id, bulky_collection_id, works_order_id, cancelled_at) values ($1, $2, null, now())
            on conflict (tenant_id, bulky_collection_id) do update set cancelled_at = coalesce(waste.bulky_collection_keys.cancelled_at, excluded.cancelled_at)
            returning works_order_id
            """))
        {
            claim.Parameters.AddWithValue(context.Tenant);
            claim.Parameters.AddWithValue(message.BulkyCollectionId);
            worksOrderId = await claim.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }
        if (worksOrderId is null) return;
        var order = await ReadModels.WorksOrderView.LoadAsync(session.Db.Connection, session.Db.Transaction, context.Tenant, worksOrderId, true, ct)
            .ConfigureAwait(false);
        if (order is null || !WorksOrderStatus.CanMove(order.Status, WorksOrderStatus.Cancelled)) return;
        await WorksOrders.MoveAsync(session, worksOrderId, WorksOrderStatus.Cancelled, ct).ConfigureAwait(false);
    }
}
