using CustomerAccess.Bookings.Domain;
using CustomerAccess.Platform.Database;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Bookings.Features;

/// <summary>A booking as its table holds it (the decision state; events are the record).</summary>
internal sealed record BookingRow(
    string Id, string CustomerId, string ResourceId, string SlotKey, DateTimeOffset Start, DateTimeOffset End, string Status, bool HoldsPlace,
    long AmountPence, Guid? PaymentRequestId, string? Reference, bool Paid, string Purpose, string PurposeId, DateTimeOffset? ExpiresAt, string? IdempotencyKey,
    string? RequestHash, DateTimeOffset CreatedAt)
{
    public string SlotId => $"{ResourceId}:{SlotKey}";
}

internal sealed record BulkyRow(
    string Id, string BookingId, string CustomerId, string Uprn, IReadOnlyList<string> Items, DateOnly CollectionDate, string State,
    Guid PaymentRequestId, string Reference, long AmountPence, DateTimeOffset ExpiresAt, string? WorksOrderId);

/// <summary>SQL over the module's tables, always inside a council's transaction (RLS applies).</summary>
internal static class BookingStore
{
    private const string ResourceColumns = "id, type, name, price_pence, capacity, weekdays, starts, slot_minutes";

    private static Resource ReadResource(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt32(4), r.GetFieldValue<int[]>(5), r.GetFieldValue<string[]>(6),
        r.IsDBNull(7) ? null : r.GetInt32(7));

    public static async Task<IReadOnlyList<Resource>> ResourcesAsync(TenantTransaction db, string? type, CancellationToken ct)
    {
        await using var cmd = db.Command($"select {ResourceColumns} from bookings.resources where tenant_id = $1 and ($2::text is null or type = $2) order by type, name, id");
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var list = new List<Resource>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadResource(r));
        return list;
    }

    /// <summary>Writes a resource's row: a new one, or (<paramref name="replace"/>) new opening rules for an existing one.</summary>
    public static async Task SaveResourceAsync(TenantTransaction tx, Resource r, bool replace, CancellationToken ct)
    {
        await using var cmd = tx.Command($"""
            insert into bookings.resources (tenant_id, id, type, name, price_pence, capacity, weekdays, starts, slot_minutes)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (tenant_id, id) do {(replace
                ? "update set name = excluded.name, price_pence = excluded.price_pence, capacity = excluded.capacity, weekdays = excluded.weekdays, starts = excluded.starts, slot_minutes = excluded.slot_minutes"
                : "nothing")}
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(r.Id);
        cmd.Parameters.AddWithValue(r.Type);
        cmd.Parameters.AddWithValue(r.Name);
        cmd.Parameters.AddWithValue(r.PricePence);
        cmd.Parameters.AddWithValue(r.Capacity);
        cmd.Parameters.AddWithValue(r.Weekdays.ToArray());
        cmd.Parameters.AddWithValue(r.Starts.ToArray());
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)r.SlotMinutes ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<Resource?> ResourceAsync(TenantTransaction db, string id, CancellationToken ct)
    {
        await using var cmd = db.Command($"select {ResourceColumns} from bookings.resources where tenant_id = $1 and id = $2");
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadResource(r) : null;
    }

    /// <summary>Places booked per slot key of a resource between two instants.</summary>
    public static async Task<Dictionary<string, int>> BookedAsync(TenantTransaction db, string resourceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            select slot_key, booked from bookings.slots
            where tenant_id = $1 and resource_id = $2 and starts_at >= $3 and starts_at < $4
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(resourceId);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        var booked = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) booked[r.GetString(0)] = r.GetInt32(1);
        return booked;
    }

    /// <summary>
    /// Takes one place in the slot, or answers false when it is full. The slot's row is created on
    /// first use; the conditional update takes its row lock until the caller's transaction ends, so
    /// concurrent bookers queue on it and each re-reads the count the previous one committed.
    /// </summary>
    public static async Task<bool> TryReserveAsync(TenantTransaction db, Resource resource, Slot slot, CancellationToken ct)
    {
        await using (var ensure = db.Command("""
            insert into bookings.slots (tenant_id, resource_id, slot_key, starts_at, ends_at, capacity, booked)
            values ($1, $2, $3, $4, $5, $6, 0) on conflict (tenant_id, resource_id, slot_key) do nothing
            """))
        {
            ensure.Parameters.AddWithValue(db.Tenant);
            ensure.Parameters.AddWithValue(resource.Id);
            ensure.Parameters.AddWithValue(slot.Key);
            ensure.Parameters.AddWithValue(slot.Start);
            ensure.Parameters.AddWithValue(slot.End);
            ensure.Parameters.AddWithValue(resource.Capacity);
            await ensure.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using var take = db.Command("""
            update bookings.slots set booked = booked + 1
            where tenant_id = $1 and resource_id = $2 and slot_key = $3 and booked < capacity
            returning booked
            """);
        take.Parameters.AddWithValue(db.Tenant);
        take.Parameters.AddWithValue(resource.Id);
        take.Parameters.AddWithValue(slot.Key);
        return await take.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
    }

    /// <summary>Gives a place back (the booking row says it held one).</summary>
    public static async Task FreeAsync(TenantTransaction db, string resourceId, string slotKey, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            update bookings.slots set booked = booked - 1
            where tenant_id = $1 and resource_id = $2 and slot_key = $3 and booked > 0
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(resourceId);
        cmd.Parameters.AddWithValue(slotKey);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task InsertBookingAsync(TenantTransaction db, BookingRow b, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            insert into bookings.bookings (tenant_id, id, customer_id, resource_id, slot_key, starts_at, ends_at, status, holds_place, amount_pence,
              payment_request_id, paid, purpose, purpose_id, expires_at, idempotency_key, request_hash, created_at, updated_at, reference)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19)
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(b.Id);
        cmd.Parameters.AddWithValue(b.CustomerId);
        cmd.Parameters.AddWithValue(b.ResourceId);
        cmd.Parameters.AddWithValue(b.SlotKey);
        cmd.Parameters.AddWithValue(b.Start);
        cmd.Parameters.AddWithValue(b.End);
        cmd.Parameters.AddWithValue(b.Status);
        cmd.Parameters.AddWithValue(b.HoldsPlace);
        cmd.Parameters.AddWithValue(b.AmountPence);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)b.PaymentRequestId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue(b.Paid);
        cmd.Parameters.AddWithValue(b.Purpose);
        cmd.Parameters.AddWithValue(b.PurposeId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)b.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)b.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)b.RequestHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(b.CreatedAt);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)b.Reference ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private const string BookingColumns = """
        id, customer_id, resource_id, slot_key, starts_at, ends_at, status, holds_place, amount_pence, payment_request_id, paid, purpose, purpose_id,
        expires_at, idempotency_key, request_hash, created_at, reference
        """;

    private static BookingRow ReadBooking(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5),
        r.GetString(6), r.GetBoolean(7), r.GetInt64(8), r.IsDBNull(9) ? null : r.GetGuid(9), r.IsDBNull(17) ? null : r.GetString(17), r.GetBoolean(10), r.GetString(11), r.GetString(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15),
        r.GetFieldValue<DateTimeOffset>(16));

    /// <summary>A booking by id; <paramref name="forUpdate"/> locks it until the transaction ends (decisions on it take turns).</summary>
    public static Task<BookingRow?> BookingAsync(TenantTransaction db, string id, bool forUpdate, CancellationToken ct) =>
        OneBookingAsync(db, "id = $2", id, forUpdate, ct);

    public static Task<BookingRow?> BookingByPaymentRequestAsync(TenantTransaction db, Guid paymentRequestId, CancellationToken ct) =>
        OneBookingAsync(db, "payment_request_id = $2", paymentRequestId, true, ct);

    public static Task<BookingRow?> BookingByKeyAsync(TenantTransaction db, string key, CancellationToken ct) =>
        OneBookingAsync(db, "idempotency_key = $2", key, false, ct);

    private static async Task<BookingRow?> OneBookingAsync(TenantTransaction db, string where, object value, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = db.Command($"select {BookingColumns} from bookings.bookings where tenant_id = $1 and {where}{(forUpdate ? " for update" : "")}");
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadBooking(r) : null;
    }

    /// <summary>
    /// Bookings whose reference is <paramref name="reference"/> (already in capitals), whatever its form:
    /// the council's prefixed one or an older BK-/BW- one. Normally one; a few at most.
    /// </summary>
    public static async Task<IReadOnlyList<BookingRow>> BookingsByReferenceAsync(TenantTransaction db, string reference, CancellationToken ct)
    {
        // upper(reference) matches the bookings_reference index (0002).
        await using var cmd = db.Command($"select {BookingColumns} from bookings.bookings where tenant_id = $1 and upper(reference) = $2 order by created_at, id limit 20");
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(reference);
        var list = new List<BookingRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadBooking(r));
        return list;
    }

    public static async Task<IReadOnlyList<BookingRow>> CustomerBookingsAsync(TenantTransaction db, string customerId, CancellationToken ct)
    {
        await using var cmd = db.Command($"select {BookingColumns} from bookings.bookings where tenant_id = $1 and customer_id = $2 order by starts_at, id limit 500");
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(customerId);
        var list = new List<BookingRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadBooking(r));
        return list;
    }

    public static async Task SetBookingAsync(TenantTransaction db, string id, string status, bool holdsPlace, bool paid, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            update bookings.bookings set status = $3, holds_place = $4, paid = $5, updated_at = $6,
              expires_at = case when $3 = 'held' then expires_at else null end
            where tenant_id = $1 and id = $2
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(status);
        cmd.Parameters.AddWithValue(holdsPlace);
        cmd.Parameters.AddWithValue(paid);
        cmd.Parameters.AddWithValue(now);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<long> NextNumberAsync(TenantTransaction db, string kind, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            insert into bookings.reference_counters as c (tenant_id, kind, last) values ($1, $2, 1)
            on conflict (tenant_id, kind) do update set last = c.last + 1
            returning last
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(kind);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public static async Task InsertBulkyAsync(TenantTransaction db, BulkyRow b, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            insert into bookings.bulky_collections (tenant_id, id, booking_id, customer_id, uprn, items, collection_date, state, payment_request_id,
              reference, amount_pence, expires_at, works_order_id, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, null, $13, $13)
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(b.Id);
        cmd.Parameters.AddWithValue(b.BookingId);
        cmd.Parameters.AddWithValue(b.CustomerId);
        cmd.Parameters.AddWithValue(b.Uprn);
        cmd.Parameters.AddWithValue(b.Items.ToArray());
        cmd.Parameters.AddWithValue(b.CollectionDate);
        cmd.Parameters.AddWithValue(b.State);
        cmd.Parameters.AddWithValue(b.PaymentRequestId);
        cmd.Parameters.AddWithValue(b.Reference);
        cmd.Parameters.AddWithValue(b.AmountPence);
        cmd.Parameters.AddWithValue(b.ExpiresAt);
        cmd.Parameters.AddWithValue(now);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<BulkyRow?> BulkyAsync(TenantTransaction db, string id, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = db.Command($"""
            select id, booking_id, customer_id, uprn, items, collection_date, state, payment_request_id, reference, amount_pence, expires_at, works_order_id
            from bookings.bulky_collections where tenant_id = $1 and id = $2{(forUpdate ? " for update" : "")}
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return new BulkyRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetFieldValue<DateOnly>(5),
            r.GetString(6), r.GetGuid(7), r.GetString(8), r.GetInt64(9), r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetString(11));
    }

    public static async Task SetBulkyAsync(TenantTransaction db, string id, string state, string? worksOrderId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.Command("""
            update bookings.bulky_collections set state = $3, works_order_id = coalesce($4, works_order_id), updated_at = $5
            where tenant_id = $1 and id = $2
            """);
        cmd.Parameters.AddWithValue(db.Tenant);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(state);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)worksOrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(now);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
