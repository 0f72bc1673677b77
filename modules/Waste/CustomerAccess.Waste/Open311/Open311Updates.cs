using CustomerAccess.Platform.EventStore;
using CustomerAccess.Waste.Domain;

namespace CustomerAccess.Waste.Open311;

/// <summary>
/// Keeps waste.open311_updates, the feed behind servicerequestupdates: one row per status change of
/// a works order (sent by the contractor integration, then the status route's moves), written in the
/// same transaction as the event. The update id is the event's id, so a row is never written twice.
/// </summary>
internal sealed class O311UpdatesProjection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            var (order, status) = e.Data switch
            {
                WorksOrderSent s => (s.WorksOrderId, WorksOrderStatus.Sent),
                WorksOrderStatusChanged c => (c.WorksOrderId, c.To),
                _ => (null, null),
            };
            if (order is null) continue;
            await using var cmd = session.Db.Command("""
                insert into waste.open311_updates (tenant_id, update_id, works_order_id, status, updated_at) values ($1, $2, $3, $4, $5)
                on conflict do nothing
                """);
            cmd.Parameters.AddWithValue(session.Tenant);
            cmd.Parameters.AddWithValue(e.EventId.ToString());
            cmd.Parameters.AddWithValue(order);
            cmd.Parameters.AddWithValue(status!);
            cmd.Parameters.AddWithValue(e.OccurredAt);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
