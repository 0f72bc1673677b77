using System.Globalization;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Payments.Domain;

internal sealed record Fund(string Code, string Name, string? OnBehalfOf);

/// <summary>
/// The write-side state a payment decides on inside its own transaction: funds, council-local days
/// (open or closed) and receipt numbers. Lock order everywhere: idempotency key, day, payment row,
/// receipt counter, so writers never deadlock.
/// </summary>
internal static class Ledger
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>Every council starts with these funds; a council's own rows can rename or retire them.</summary>
    public static IReadOnlyList<Fund> DefaultFunds(string council) =>
    [
        new("garden-waste", "Garden waste", null),
        new("bulky-waste", "Bulky waste", null),
        new("council-tax", "Council tax", null),
        new("parking", "Parking", null),
        new("housing-rent", "Housing rent", HousingCompany(council)),
        new("general", "General", null),
    ];

    private static string HousingCompany(string council) => council switch
    {
        "cheltenham" => "Cheltenham Borough Homes",
        _ => "the council's housing company",
    };

    /// <summary>The council-local (Europe/London) date of an instant.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, London).DateTime);

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task EnsureFundsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, CancellationToken ct)
    {
        await using (var any = new NpgsqlCommand("select exists (select 1 from payments.funds where tenant_id = $1)", connection, tx))
        {
            any.Parameters.AddWithValue(council);
            if ((bool)(await any.ExecuteScalarAsync(ct).ConfigureAwait(false))!) return;
        }
        foreach (var f in DefaultFunds(council))
        {
            await using var cmd = new NpgsqlCommand("""
                insert into payments.funds (tenant_id, code, name, on_behalf_of) values ($1, $2, $3, $4)
                on conflict do nothing
                """, connection, tx);
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(f.Code);
            cmd.Parameters.AddWithValue(f.Name);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)f.OnBehalfOf ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<Fund>> FundsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string council, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select code, name, on_behalf_of from payments.funds where tenant_id = $1 and active order by name", connection, tx);
        cmd.Parameters.AddWithValue(council);
        var list = new List<Fund>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Fund(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
        return list;
    }

    public static async Task<Fund?> FindFundAsync(EventSession session, string code, CancellationToken ct)
    {
        await EnsureFundsAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, ct).ConfigureAwait(false);
        return (await FundsAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, ct).ConfigureAwait(false))
            .FirstOrDefault(f => f.Code == code);
    }

    /// <summary>
    /// Holds the day open for the rest of the transaction (a share lock on its row), or 409 when it
    /// has been closed. Closing takes the row exclusively, so it waits for writers already in flight.
    /// </summary>
    public static async Task RequireOpenDayAsync(EventSession session, DateOnly day, CancellationToken ct)
    {
        if (await LockDayAsync(session, day, exclusive: false, ct).ConfigureAwait(false) is not null)
            throw ApiProblemException.Conflict($"The cash-up for {Text(day)} is closed: nothing more can be taken or refunded on that day.");
    }

    /// <summary>Locks the day's row (creating it) and returns when it was closed, or null if it is open.</summary>
    public static async Task<DateTimeOffset?> LockDayAsync(EventSession session, DateOnly day, bool exclusive, CancellationToken ct)
    {
        await using (var insert = session.Db.Command("insert into payments.cash_days (tenant_id, business_date) values ($1, $2) on conflict do nothing"))
        {
            insert.Parameters.AddWithValue(session.Tenant);
            insert.Parameters.AddWithValue(day);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using var cmd = session.Db.Command(
            $"select closed_at from payments.cash_days where tenant_id = $1 and business_date = $2 for {(exclusive ? "update" : "share")}");
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(day);
        var closed = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return closed is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : closed as DateTimeOffset?;
    }

    /// <summary>
    /// The council's next receipt number, taken inside the payment's transaction: the counter row stays
    /// locked until commit, and a rollback returns the number, so receipts have no gaps and no repeats.
    /// <paramref name="prefix"/> is the council's own (Tenancy gives each council one no other council
    /// has); a counter that carried another one continues its numbers under this one.
    /// </summary>
    public static async Task<string> NextReceiptAsync(EventSession session, string prefix, CancellationToken ct)
    {
        await using var cmd = session.Db.Command("""
            insert into payments.receipt_counters (tenant_id, prefix, next) values ($1, $2, 2)
            on conflict (tenant_id) do update set prefix = excluded.prefix, next = receipt_counters.next + 1
            returning prefix, next - 1
            """);
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(prefix);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException("The receipt counter returned no row.");
        return $"{r.GetString(0)}-{r.GetInt64(1).ToString("000000", CultureInfo.InvariantCulture)}";
    }
}
