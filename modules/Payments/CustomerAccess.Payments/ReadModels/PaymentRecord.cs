using Npgsql;

namespace CustomerAccess.Payments.ReadModels;

internal sealed record RefundView(string Id, long AmountPence, string Reason, string BusinessDate, DateTimeOffset IssuedAt, string IssuedBy,
    string? ProviderRefundId, string? ProviderStatus);

/// <summary>A payment as the API shows it.</summary>
internal sealed record PaymentView(
    string Id, string? ReceiptNumber, string Status, string? CustomerId, string Fund, long AmountPence, long RefundedPence, string Channel,
    string? Reference, string? ProviderPaymentId, string? NextUrl, string? ProviderStatus, string BusinessDate, DateTimeOffset TakenAt,
    string TakenBy, DateTimeOffset? SettledAt, long Version)
{
    public long RefundablePence => Status == "succeeded" ? AmountPence - RefundedPence : 0;
    public IReadOnlyList<RefundView>? Refunds { get; init; }
    public Guid? PaymentRequestId { get; init; }
}

internal static class PaymentRecord
{
    private const string Columns = """
        id, receipt_number, status, customer_id, fund, amount_pence, refunded_pence, channel, reference, provider_payment_id, next_url,
        provider_status, business_date, taken_at, taken_by, settled_at, version, payment_request_id
        """;

    /// <summary>The payment with its refunds, read in its own short transaction; it must exist.</summary>
    public static async Task<PaymentView> LoadAsync(CustomerAccess.Platform.EventStore.EventStore store, string council, string id, CancellationToken ct)
    {
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        return await LoadAsync(tx.Connection, tx.Transaction, council, id, true, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The payment just written was not found.");
    }

    public static async Task<PaymentView?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, string id,
        bool withRefunds, CancellationToken ct, bool forUpdate = false)
    {
        PaymentView? payment;
        await using (var cmd = new NpgsqlCommand($"select {Columns} from payments.payments where tenant_id = $1 and id = $2{(forUpdate ? " for update" : "")}", connection, tx))
        {
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            payment = await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
        }
        if (payment is null || !withRefunds) return payment;
        var refunds = new List<RefundView>();
        await using (var cmd = new NpgsqlCommand(
            "select id, amount_pence, reason, business_date, issued_at, issued_by, provider_refund_id, provider_status from payments.refunds where tenant_id = $1 and payment_id = $2 order by issued_at, id",
            connection, tx))
        {
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                refunds.Add(new RefundView(r.GetString(0), r.GetInt64(1), r.GetString(2), Date(r.GetFieldValue<DateOnly>(3)),
                    r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), Null(r, 6), Null(r, 7)));
        }
        return payment with { Refunds = refunds };
    }

    public static async Task<List<PaymentView>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, string? customerId,
        DateOnly? date, string? afterId, int take, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from payments.payments
            where tenant_id = $1 and ($2::text is null or customer_id = $2) and ($3::date is null or business_date = $3)
              and ($4::text is null or id < $4)
            order by id desc limit $5
            """, connection, tx);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)date ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)afterId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(take);
        var list = new List<PaymentView>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(Read(r));
        return list;
    }

    private static PaymentView Read(NpgsqlDataReader r) => new(
        r.GetString(0), Null(r, 1), r.GetString(2), Null(r, 3), r.GetString(4), r.GetInt64(5), r.GetInt64(6), r.GetString(7), Null(r, 8),
        Null(r, 9), Null(r, 10), Null(r, 11), Date(r.GetFieldValue<DateOnly>(12)), r.GetFieldValue<DateTimeOffset>(13), r.GetString(14),
        r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15), r.GetInt64(16))
    {
        PaymentRequestId = r.IsDBNull(17) ? null : r.GetGuid(17),
    };

    private static string? Null(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
