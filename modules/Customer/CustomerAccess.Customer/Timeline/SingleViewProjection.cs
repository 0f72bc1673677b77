using CustomerAccess.Contracts;
using CustomerAccess.Platform.Projections;
using NpgsqlTypes;

namespace CustomerAccess.Customer.Timeline;

/// <summary>
/// Keeps the single view's open cases, recent payments, bookings and subscriptions from the facts
/// the Case, Payments, Bookings and Waste modules' events declare in contracts. A checkpointed subscription like the timeline; each
/// change only moves a row forward (position guard), so a replay changes nothing.
/// </summary>
internal sealed class SingleViewProjection : IProjection
{
    public string Name => "customer-single-view";

    public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
    {
        foreach (var e in batch.Events)
        {
            if (e.Metadata.CustomerId is not { } customer) continue;
            if (e.Data is ICaseOnSingleView { CaseChange: var c })
            {
                await using var cmd = batch.Command("""
                    insert into customer.customer_cases as t (tenant_id, customer_id, reference, case_id, type, service, status, due_at, restricted, position)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, false), $10)
                    on conflict (tenant_id, customer_id, reference) do update set
                      case_id = coalesce(excluded.case_id, t.case_id), type = coalesce(excluded.type, t.type),
                      service = coalesce(excluded.service, t.service), status = coalesce(excluded.status, t.status),
                      due_at = coalesce(excluded.due_at, t.due_at), restricted = coalesce($9, t.restricted), position = excluded.position
                    where t.position < excluded.position
                    """);
                cmd.Parameters.AddWithValue(e.Tenant);
                cmd.Parameters.AddWithValue(customer);
                cmd.Parameters.AddWithValue(c.Reference);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)c.CaseId ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)c.Type ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)c.Service ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)c.Status ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)c.DueAt ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Boolean, (object?)c.Restricted ?? DBNull.Value);
                cmd.Parameters.AddWithValue(e.Position);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            if (e.Data is IPaymentOnSingleView { PaymentChange: var p })
            {
                await using var cmd = batch.Command("""
                    insert into customer.customer_payments as t (tenant_id, customer_id, payment_id, receipt_number, fund, amount_pence, channel, status,
                      refunded_pence, taken_at, position)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    on conflict (tenant_id, customer_id, payment_id) do update set
                      receipt_number = coalesce(excluded.receipt_number, t.receipt_number), fund = coalesce(excluded.fund, t.fund),
                      amount_pence = coalesce(excluded.amount_pence, t.amount_pence), channel = coalesce(excluded.channel, t.channel),
                      status = coalesce(excluded.status, t.status), refunded_pence = t.refunded_pence + excluded.refunded_pence,
                      position = excluded.position
                    where t.position < excluded.position
                    """);
                cmd.Parameters.AddWithValue(e.Tenant);
                cmd.Parameters.AddWithValue(customer);
                cmd.Parameters.AddWithValue(p.PaymentId);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)p.ReceiptNumber ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)p.Fund ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)p.AmountPence ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)p.Channel ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)p.Status ?? DBNull.Value);
                cmd.Parameters.AddWithValue(p.RefundedPence);
                cmd.Parameters.AddWithValue(e.OccurredAt);
                cmd.Parameters.AddWithValue(e.Position);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            if (e.Data is IBookingOnSingleView { BookingChange: var b })
            {
                await using var cmd = batch.Command("""
                    insert into customer.customer_bookings as t (tenant_id, customer_id, booking_id, resource_name, resource_type, starts_at, ends_at, status, position)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    on conflict (tenant_id, customer_id, booking_id) do update set
                      resource_name = coalesce(excluded.resource_name, t.resource_name), resource_type = coalesce(excluded.resource_type, t.resource_type),
                      starts_at = coalesce(excluded.starts_at, t.starts_at), ends_at = coalesce(excluded.ends_at, t.ends_at),
                      status = coalesce(excluded.status, t.status), position = excluded.position
                    where t.position < excluded.position
                    """);
                cmd.Parameters.AddWithValue(e.Tenant);
                cmd.Parameters.AddWithValue(customer);
                cmd.Parameters.AddWithValue(b.BookingId);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)b.ResourceName ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)b.ResourceType ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)b.Start ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)b.End ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)b.Status ?? DBNull.Value);
                cmd.Parameters.AddWithValue(e.Position);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            if (e.Data is ISubscriptionOnSingleView { SubscriptionChange: var s })
            {
                await using var cmd = batch.Command("""
                    insert into customer.customer_subscriptions as t (tenant_id, customer_id, subscription_id, service, season, bins, status, valid_from, valid_to, position)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    on conflict (tenant_id, customer_id, subscription_id) do update set
                      service = coalesce(excluded.service, t.service), season = coalesce(excluded.season, t.season), bins = coalesce(excluded.bins, t.bins),
                      status = coalesce(excluded.status, t.status), valid_from = coalesce(excluded.valid_from, t.valid_from),
                      valid_to = coalesce(excluded.valid_to, t.valid_to), position = excluded.position
                    where t.position < excluded.position
                    """);
                cmd.Parameters.AddWithValue(e.Tenant);
                cmd.Parameters.AddWithValue(customer);
                cmd.Parameters.AddWithValue(s.SubscriptionId);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)s.Service ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)s.Season ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Integer, (object?)s.Bins ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)s.Status ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Date, (object?)s.ValidFrom ?? DBNull.Value);
                cmd.Parameters.AddWithValue(NpgsqlDbType.Date, (object?)s.ValidTo ?? DBNull.Value);
                cmd.Parameters.AddWithValue(e.Position);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
    {
        await using (var cmd = batch.Command("delete from customer.customer_cases"))
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        foreach (var table in new[] { "customer_payments", "customer_bookings", "customer_subscriptions" })
        {
            await using var cmd = batch.Command("delete from customer." + table);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
