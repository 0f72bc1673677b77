using System.Text.Json;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Tenancy.Domain;
using NpgsqlTypes;

namespace CustomerAccess.Tenancy.ReadModels;

/// <summary>Keeps tenancy.councils and tenancy.data_sharing in the same transaction as the events.</summary>
internal sealed class TenancyProjection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case CouncilOnboarded c:
                {
                    await using var cmd = session.Db.Command("""
                        insert into tenancy.councils (id, name, contact_number, service_themes, days_to_resolve, holiday_division, onboarded_at, position, receipt_prefix)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing
                        """);
                    cmd.Parameters.AddWithValue(c.CouncilId);
                    cmd.Parameters.AddWithValue(c.Name);
                    cmd.Parameters.AddWithValue(c.ContactNumber);
                    cmd.Parameters.AddWithValue(c.ServiceThemes.ToArray());
                    cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(c.DaysToResolve));
                    cmd.Parameters.AddWithValue(c.HolidayDivision);
                    cmd.Parameters.AddWithValue(e.OccurredAt);
                    cmd.Parameters.AddWithValue(e.Position);
                    cmd.Parameters.AddWithValue(c.ReceiptPrefix ?? ReceiptPrefixes.Legacy(c.CouncilId));
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    break;
                }
                case DataSharingChanged d:
                {
                    await using var cmd = session.Db.Command("""
                        insert into tenancy.data_sharing (tenant_id, other_council, share_customer_identity, changed_at, position)
                        values ($1, $2, $3, $4, $5)
                        on conflict (tenant_id, other_council) do update
                          set share_customer_identity = excluded.share_customer_identity, changed_at = excluded.changed_at, position = excluded.position
                        """);
                    cmd.Parameters.AddWithValue(e.Tenant);
                    cmd.Parameters.AddWithValue(d.OtherCouncil);
                    cmd.Parameters.AddWithValue(d.ShareCustomerIdentity);
                    cmd.Parameters.AddWithValue(e.OccurredAt);
                    cmd.Parameters.AddWithValue(e.Position);
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    break;
                }
            }
        }
    }
}
