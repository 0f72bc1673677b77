using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Payments.ReadModels;

internal static class PaymentRequestStatus
{
    public const string Open = "open";
    public const string Paid = "paid";
    public const string Withdrawn = "withdrawn";
    /// <summary>Not stored: an open request whose expiry has passed.</summary>
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Open, Paid, Withdrawn, Expired];
}

/// <summary>A payment due, as Payments holds it.</summary>
internal sealed record PaymentRequestView(
    Guid Id, string? CustomerId, string Fund, long AmountPence, string Purpose, string PurposeId, string Reference, string Description,
    DateTimeOffset? ExpiresAt, string StoredStatus, string? PaymentId, string? ReceiptNumber, string? WithdrawnReason,
    DateTimeOffset RequestedAt, DateTimeOffset? SettledAt, long Version)
{
    /// <summary>open, paid, withdrawn, or expired (open past its expiry).</summary>
    public string StatusAt(DateTimeOffset now) =>
        StoredStatus == PaymentRequestStatus.Open && ExpiresAt is { } e && e <= now ? PaymentRequestStatus.Expired : StoredStatus;

    public object Json(DateTimeOffset now) => new
    {
        id = Id, customerId = CustomerId, fund = Fund, amountPence = AmountPence, purpose = Purpose, purposeId = PurposeId,
        reference = Reference, description = Description, expiresAt = ExpiresAt, status = StatusAt(now), paymentId = PaymentId,
        receiptNumber = ReceiptNumber, withdrawnReason = WithdrawnReason, requestedAt = RequestedAt, settledAt = SettledAt,
    };
}

internal static class PaymentRequestRecord
{
    private const string Columns = """
        id, customer_id, fund, amount_pence, purpose, purpose_id, reference, description, expires_at, status, payment_id, receipt_number,
        withdrawn_reason, requested_at, settled_at, version
        """;

    public static async Task<PaymentRequestView?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, Guid id,
        CancellationToken ct, bool forUpdate = false)
    {
        await using var cmd = new NpgsqlCommand(
            $"select {Columns} from payments.payment_requests where tenant_id = $1 and id = $2{(forUpdate ? " for update" : "")}", connection, tx);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
    }

    /// <summary>Newest first; status is one of <see cref="PaymentRequestStatus.All"/> (expired and open are told apart by <paramref name="now"/>).</summary>
    public static async Task<List<PaymentRequestView>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, string? customerId,
        string? status, DateTimeOffset now, int take, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from payments.payment_requests
            where tenant_id = $1 and ($2::text is null or customer_id = $2)
              and ($3::text is null
                or ($3 = 'open' and status = 'open' and (expires_at is null or expires_at > $4))
                or ($3 = 'expired' and status = 'open' and expires_at <= $4)
                or ($3 not in ('open', 'expired') and status = $3))
            order by requested_at desc, id desc limit $5
            """, connection, tx);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(take);
        var list = new List<PaymentRequestView>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(Read(r));
        return list;
    }

    private static PaymentRequestView Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), Null(r, 1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.GetString(9), Null(r, 10), Null(r, 11), Null(r, 12),
        r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14), r.GetInt64(15));

    private static string? Null(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
