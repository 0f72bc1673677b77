using CustomerAccess.Platform.EventStore;
using CustomerAccess.Waste.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Waste.ReadModels;

/// <summary>Keeps waste.works_orders, garden_subscriptions and the configuration tables (rounds, round_assignments,
/// garden_prices) in the same transaction as the events that feed them.</summary>
internal sealed class WasteProjection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case MissedBinReported r:
                    await Exec(session, """
                        insert into waste.works_orders (tenant_id, id, kind, status, report_id, customer_id, uprn, container, collection_date,
                          raised_at, raised_by, updated_at, version, case_id, media_url)
                        values ($1, $2, 'missed-bin', 'raised', $3, $4, $5, $6, $7, $8, $9, $8, $10, $11, $12::text)
                        """, ct, session.Tenant, r.WorksOrderId, r.ReportId, e.Metadata.CustomerId, r.Uprn, r.Container, r.CollectionDate,
                        e.OccurredAt, e.Metadata.Actor, e.StreamVersion, r.CaseId, r.MediaUrl).ConfigureAwait(false);
                    break;
                case BinRequested b:
                    await Exec(session, """
                        insert into waste.works_orders (tenant_id, id, kind, status, report_id, customer_id, uprn, container, reason,
                          raised_at, raised_by, updated_at, version, case_id)
                        values ($1, $2, 'bin-request', 'raised', $3, $4, $5, $6, $7, $8, $9, $8, $10, $11)
                        """, ct, session.Tenant, b.WorksOrderId, b.RequestId, e.Metadata.CustomerId, b.Uprn, b.Container, b.Reason,
                        e.OccurredAt, e.Metadata.Actor, e.StreamVersion, b.CaseId).ConfigureAwait(false);
                    break;
                case FlyTippingReported f:
                    await Exec(session, """
                        insert into waste.works_orders (tenant_id, id, kind, status, report_id, customer_id, latitude, longitude, detail,
                          raised_at, raised_by, updated_at, version, case_id, location, media_url)
                        values ($1, $2, 'fly-tipping', 'raised', $3, $4, $5::double precision, $6::double precision, $7, $8, $9, $8, $10, $11, $12::text, $13::text)
                        """, ct, session.Tenant, f.WorksOrderId, f.ReportId, e.Metadata.CustomerId, f.Latitude, f.Longitude, f.Description,
                        e.OccurredAt, e.Metadata.Actor, e.StreamVersion, f.CaseId, f.Location, f.MediaUrl).ConfigureAwait(false);
                    break;
                case BulkyCollectionOrdered b:
                    await Exec(session, """
                        insert into waste.works_orders (tenant_id, id, kind, status, report_id, customer_id, uprn, collection_date, items, booking_id,
                          raised_at, raised_by, updated_at, version)
                        values ($1, $2, 'bulky-collection', 'raised', $3, $4, $5, $6, $7, $8, $9, $10, $9, $11)
                        """, ct, session.Tenant, b.WorksOrderId, b.BulkyCollectionId, e.Metadata.CustomerId, b.Uprn, b.CollectionDate, b.Items.ToArray(),
                        b.BookingId, e.OccurredAt, e.Metadata.Actor, e.StreamVersion).ConfigureAwait(false);
                    break;
                case GardenSubscriptionRequested g:
                    await Exec(session, """
                        insert into waste.garden_subscriptions (tenant_id, id, reference, customer_id, uprn, season, bins, amount_pence, status,
                          valid_from, valid_to, payment_request_id, payment_expires_at, renewal_of, created_at, updated_at, version)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending-payment', $9, $10, $11, $12, $13, $14, $14, $15)
                        """, ct, session.Tenant, g.SubscriptionId, g.Reference, e.Metadata.CustomerId, g.Uprn, g.Season, g.Bins, g.AmountPence,
                        g.ValidFrom, g.ValidTo, g.PaymentRequestId, g.ExpiresAt, g.RenewalOf, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case GardenSubscriptionPaid p:
                    await Exec(session, """
                        update waste.garden_subscriptions set status = 'active', payment_id = $3, receipt_number = $4, updated_at = $5, version = $6
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, p.SubscriptionId, p.PaymentId, p.ReceiptNumber, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case GardenSubscriptionPaymentFailed f:
                    await Exec(session, """
                        update waste.garden_subscriptions set last_failure = $3, failed_attempts = failed_attempts + 1, updated_at = $4, version = $5
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, f.SubscriptionId, f.Reason, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case GardenSubscriptionLapsed l:
                    await Exec(session, "update waste.garden_subscriptions set status = 'expired', updated_at = $3, version = $4 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, l.SubscriptionId, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case RoundConfigured c:
                    await Exec(session, """
                        insert into waste.rounds (tenant_id, id, container, weekday, frequency, anchor, name) values ($1, $2, $3, $4, $5, $6, $7)
                        on conflict (tenant_id, id) do update set container = excluded.container, weekday = excluded.weekday,
                          frequency = excluded.frequency, anchor = excluded.anchor, name = excluded.name
                        """, ct, session.Tenant, c.RoundId, c.Container, (short)c.Weekday, c.Frequency, c.Anchor, c.Name).ConfigureAwait(false);
                    break;
                case RoundPropertiesChanged p:
                    if (p.Added.Count > 0)
                    {
                        // A property is on one round per container: one put on this round leaves any other it was put on singly.
                        await Exec(session, """
                            delete from waste.round_assignments a using waste.rounds r
                            where a.tenant_id = $1 and r.tenant_id = a.tenant_id and r.id = a.round_id and r.container = $3 and a.round_id <> $2
                              and a.uprn_from = a.uprn_to and a.uprn_from = any($4)
                            """, ct, session.Tenant, p.RoundId, p.Container, p.Added.ToArray()).ConfigureAwait(false);
                        await Exec(session, """
                            insert into waste.round_assignments (tenant_id, round_id, uprn_from, uprn_to)
                            select $1, $2, u, u from unnest($3::bigint[]) u on conflict do nothing
                            """, ct, session.Tenant, p.RoundId, p.Added.ToArray()).ConfigureAwait(false);
                    }
                    if (p.Removed.Count > 0)
                        await Exec(session, """
                            delete from waste.round_assignments where tenant_id = $1 and round_id = $2 and uprn_from = uprn_to and uprn_from = any($3)
                            """, ct, session.Tenant, p.RoundId, p.Removed.ToArray()).ConfigureAwait(false);
                    break;
                case RoundRetired t:
                    await Exec(session, "update waste.rounds set retired_at = $3 where tenant_id = $1 and id = $2 and retired_at is null",
                        ct, session.Tenant, t.RoundId, e.OccurredAt).ConfigureAwait(false);
                    break;
                case GardenPriceSet g:
                    await Exec(session, """
                        insert into waste.garden_prices (tenant_id, from_season, pence_per_bin, max_bins) values ($1, $2, $3, $4)
                        on conflict (tenant_id, from_season) do update set pence_per_bin = excluded.pence_per_bin, max_bins = excluded.max_bins
                        """, ct, session.Tenant, g.FromSeason, g.PricePerBinPence, g.MaxBins).ConfigureAwait(false);
                    break;
                case MissedBinReportedAgain a:
                    // A repeat's photo fills the order's only when it has none: the first report's photo stays.
                    await Exec(session, """
                        update waste.works_orders set repeat_reports = repeat_reports + 1, version = $3, media_url = coalesce(media_url, $4::text)
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, a.WorksOrderId, e.StreamVersion, a.MediaUrl).ConfigureAwait(false);
                    break;
                case WorksOrderSent s:
                    await Exec(session, """
                        update waste.works_orders set status = 'sent', contractor_reference = $3, updated_at = $4, version = $5 where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, s.WorksOrderId, s.ContractorReference, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case WorksOrderStatusChanged c:
                    await Exec(session, "update waste.works_orders set status = $3, updated_at = $4, version = $5 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, c.WorksOrderId, c.To, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static async Task Exec(EventSession session, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = session.Db.Command(sql);
        foreach (var arg in args)
            cmd.Parameters.Add(arg is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = arg });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>A works order as the waste team and the contractor see it.</summary>
internal sealed record WorksOrderView(
    string Id, string Kind, string Status, string? ReportId, string? CustomerId, long? Uprn, string? Container, string? CollectionDate,
    string? ContractorReference, int RepeatReports, DateTimeOffset RaisedAt, string RaisedBy, DateTimeOffset UpdatedAt, long Version, string? Reason,
    double? Latitude, double? Longitude, string? Detail, IReadOnlyList<string>? Items = null, string? BookingId = null,
    string? CaseId = null, string? Location = null, string? MediaUrl = null)
{
    public const string Columns = """
        id, kind, status, report_id, customer_id, uprn, container, to_char(collection_date, 'YYYY-MM-DD'), contractor_reference, repeat_reports,
        raised_at, raised_by, updated_at, version, reason, latitude, longitude, detail, items, booking_id, case_id, location, media_url
        """;

    public static WorksOrderView Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt32(9),
        r.GetFieldValue<DateTimeOffset>(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12), r.GetInt64(13), r.IsDBNull(14) ? null : r.GetString(14),
        r.IsDBNull(15) ? null : r.GetDouble(15), r.IsDBNull(16) ? null : r.GetDouble(16), r.IsDBNull(17) ? null : r.GetString(17),
        r.IsDBNull(18) ? null : r.GetFieldValue<string[]>(18), r.IsDBNull(19) ? null : r.GetString(19), r.IsDBNull(20) ? null : r.GetString(20),
        r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : r.GetString(22));

    public static async Task<WorksOrderView?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council, string id,
        bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {Columns} from waste.works_orders where tenant_id = $1 and id = $2{(forUpdate ? " for update" : "")}",
            connection, transaction);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
    }
}
