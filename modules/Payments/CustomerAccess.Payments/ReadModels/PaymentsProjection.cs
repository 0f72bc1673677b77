using CustomerAccess.Payments.Domain;
using CustomerAccess.Platform.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Payments.ReadModels;

/// <summary>
/// Keeps payments.payments, refunds, declarations and cash_days in the same transaction as the
/// events that feed them, so a refused or failed write leaves nothing behind.
/// </summary>
internal sealed class PaymentsProjection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case PaymentTaken t:
                    await Exec(session, """
                        insert into payments.payments (tenant_id, id, receipt_number, customer_id, fund, amount_pence, channel, reference, status,
                          business_date, taken_at, taken_by, settled_at, version, payment_request_id)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                        """, ct, session.Tenant, t.PaymentId, t.ReceiptNumber, e.Metadata.CustomerId, t.Fund, t.AmountPence, t.Channel, t.Reference,
                        t.Status, t.BusinessDate, e.OccurredAt, e.Metadata.Actor,
                        t.Status == PaymentStatus.Succeeded ? e.OccurredAt : null, e.StreamVersion, t.PaymentRequestId).ConfigureAwait(false);
                    break;
                case ProviderPaymentCreated c:
                    await Exec(session, "update payments.payments set provider_payment_id = $3, next_url = $4, version = $5 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, c.PaymentId, c.ProviderPaymentId, c.NextUrl, e.StreamVersion).ConfigureAwait(false);
                    break;
                case PaymentSucceeded s:
                    await Exec(session, """
                        update payments.payments set status = 'succeeded', receipt_number = $3, business_date = $4, provider_status = $5,
                          settled_at = $6, next_url = null, version = $7
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, s.PaymentId, s.ReceiptNumber, s.BusinessDate, s.ProviderStatus, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case PaymentFailed f:
                    await Exec(session, """
                        update payments.payments set status = 'failed', provider_status = $3, settled_at = $4, next_url = null, version = $5
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, f.PaymentId, f.ProviderStatus, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case RefundIssued r:
                    await Exec(session, """
                        insert into payments.refunds (tenant_id, id, payment_id, amount_pence, reason, business_date, issued_at, issued_by)
                        values ($1, $2, $3, $4, $5, $6, $7, $8)
                        """, ct, session.Tenant, r.RefundId, r.PaymentId, r.AmountPence, r.Reason, r.BusinessDate, e.OccurredAt, e.Metadata.OnBehalfOf ?? e.Metadata.Actor).ConfigureAwait(false);
                    await Exec(session, "update payments.payments set refunded_pence = refunded_pence + $3, version = $4 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, r.PaymentId, r.AmountPence, e.StreamVersion).ConfigureAwait(false);
                    break;
                case ProviderRefundRecorded pr:
                    await Exec(session, "update payments.refunds set provider_refund_id = coalesce($3, provider_refund_id), provider_status = $4 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, pr.RefundId, pr.ProviderRefundId, pr.Status).ConfigureAwait(false);
                    await Exec(session, "update payments.payments set version = $3 where tenant_id = $1 and id = $2",
                        ct, session.Tenant, pr.PaymentId, e.StreamVersion).ConfigureAwait(false);
                    break;
                case PaymentRequestRecorded q:
                    await Exec(session, """
                        insert into payments.payment_requests (tenant_id, id, customer_id, fund, amount_pence, purpose, purpose_id, reference, description,
                          expires_at, status, requested_at, version)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)
                        """, ct, session.Tenant, q.PaymentRequestId, e.Metadata.CustomerId, q.Fund, q.AmountPence, q.Purpose, q.PurposeId, q.Reference,
                        q.Description, q.ExpiresAt, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case PaymentRequestSettled q:
                    await Exec(session, """
                        update payments.payment_requests set status = 'paid', payment_id = $3, receipt_number = $4, settled_at = $5, version = $6
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, q.PaymentRequestId, q.PaymentId, q.ReceiptNumber, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case PaymentRequestClosed q:
                    await Exec(session, """
                        update payments.payment_requests set status = 'withdrawn', withdrawn_reason = $3, settled_at = $4, version = $5
                        where tenant_id = $1 and id = $2
                        """, ct, session.Tenant, q.PaymentRequestId, q.Reason, e.OccurredAt, e.StreamVersion).ConfigureAwait(false);
                    break;
                case CashDeclared d:
                    await Exec(session, """
                        insert into payments.declarations (tenant_id, business_date, cashier, declared_pence, expected_pence, declared_at, declared_by)
                        values ($1, $2, $3, $4, $5, $6, $7)
                        on conflict (tenant_id, business_date, cashier) do update set declared_pence = excluded.declared_pence,
                          expected_pence = excluded.expected_pence, declared_at = excluded.declared_at, declared_by = excluded.declared_by
                        """, ct, session.Tenant, d.BusinessDate, d.Cashier, d.DeclaredPence, d.ExpectedPence, e.OccurredAt, e.Metadata.Actor).ConfigureAwait(false);
                    break;
                case DayClosed c:
                    await Exec(session, """
                        insert into payments.cash_days (tenant_id, business_date, closed_at, closed_by) values ($1, $2, $3, $4)
                        on conflict (tenant_id, business_date) do update set closed_at = excluded.closed_at, closed_by = excluded.closed_by
                        """, ct, session.Tenant, c.BusinessDate, e.OccurredAt, e.Metadata.Actor).ConfigureAwait(false);
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
