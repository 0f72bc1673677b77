using CustomerAccess.Platform.EventStore;
using CustomerAccess.Waste.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Waste.Open311;

/// <summary>
/// Fly-tipping reported by someone who did not say who they are (an Open311 report without a
/// matchable reporter). With no data subject there is no key to encrypt free text under (nor to
/// shred it with on erasure), so the event carries only the place: the reporter's description is
/// not kept. The place may be the point, or Location (address_string) when no point was sent: kept,
/// as the point is, because without it there is no job to do. MediaUrl is the reporting site's link
/// to its photo (the site holds the photo; we hold only the link). Events recorded before Location
/// and MediaUrl existed have the point and neither. No customer, so it is on no timeline.
/// </summary>
[EventType("waste.fly-tipping-reported-anonymously")]
internal sealed record AnonymousFlyTippingReported(string ReportId, string WorksOrderId, double? Latitude, double? Longitude, string? Location = null,
    string? MediaUrl = null);

/// <summary>
/// Open311's inline projection (same transaction as the events): the works order of an anonymous
/// fly-tipping report in waste.works_orders (as WasteProjection does for the named one), and
/// waste.open311_updates, the feed behind servicerequestupdates: one row per status change of a works
/// order (sent by the contractor integration, then the status route's moves). The update id is the
/// event's id, so a row is never written twice.
/// </summary>
internal sealed class O311Projection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            if (e.Data is AnonymousFlyTippingReported f)
            {
                await using var insert = session.Db.Command("""
                    insert into waste.works_orders (tenant_id, id, kind, status, report_id, latitude, longitude, location, media_url,
                      raised_at, raised_by, updated_at, version)
                    values ($1, $2, 'fly-tipping', 'raised', $3, $4, $5, $6, $7, $8, $9, $8, $10)
                    """);
                insert.Parameters.AddWithValue(session.Tenant);
                insert.Parameters.AddWithValue(f.WorksOrderId);
                insert.Parameters.AddWithValue(f.ReportId);
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)f.Latitude ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)f.Longitude ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)f.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)f.MediaUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.AddWithValue(e.OccurredAt);
                insert.Parameters.AddWithValue(e.Metadata.Actor);
                insert.Parameters.AddWithValue(e.StreamVersion);
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                continue;
            }
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
