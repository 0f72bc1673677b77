using System.Globalization;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// The daily cash-up of a council-local (Europe/London) day: totals by channel and fund (payments
/// minus refunds, with counts), each cashier's expected cash against what they declared, and closing
/// the day, after which nothing more is taken or refunded on it.
/// Expected cash is the cashier's cash payments less the cash refunds they handed out that day.
/// </summary>
internal static class CashUp
{
    /// <param name="IdempotencyKey">optional: the same key and body again declares nothing (200, the same declaration); another body 409</param>
    internal sealed record Declaration(string? Cashier, long? DeclaredPence, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/payments/cash-up", Get).RequireAuthorization(Policies.Payments).WithName("CashUp");
        api.MapPost("/payments/cash-up/{date}/declarations", Declare).RequireAuthorization(Policies.Payments).WithName("DeclareCash");
        api.MapPost("/payments/cash-up/{date}/close", Close).RequireAuthorization(Policies.Payments).WithName("CloseDay");
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    internal static DateOnly ParseDay(string? text, TimeProvider time, string field)
    {
        if (!TryDate(text, out var day)) throw ApiProblemException.Validation(field, "date must be a date like 2026-11-22.");
        if (day > Ledger.LocalDate(time.GetUtcNow())) throw ApiProblemException.Validation(field, "This day has not happened yet.");
        return day;
    }

    private static async Task<IResult> Get(string? date, HttpContext http, PlatformDatabase db, TimeProvider time, CancellationToken ct)
    {
        var day = string.IsNullOrEmpty(date) ? Ledger.LocalDate(time.GetUtcNow()) : ParseDay(date, time, "date");
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(await SummaryAsync(tx.Connection, tx.Transaction, http.Council(), day, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> Declare(string date, Declaration? body, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct)
    {
        var (declared, position, repeated) = await DeclareAsync(http.Council(), http.EventContext(), date, body, store, time, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, position);
        var answer = new
        {
            date = Ledger.Text(declared.BusinessDate), cashier = declared.Cashier, declaredPence = declared.DeclaredPence, expectedPence = declared.ExpectedPence,
            differencePence = declared.DifferencePence,
        };
        return repeated ? Results.Ok(answer) : Results.Created($"/api/councils/{http.Council()}/payments/cash-up?date={Ledger.Text(declared.BusinessDate)}", answer);
    }

    /// <summary>A cashier's counted cash for the day (shared by the endpoint and the cash-up page).</summary>
    internal static async Task<(CashDeclared Declared, long? Position, bool Repeated)> DeclareAsync(string council, EventContext context, string date, Declaration? body,
        EventStore store, TimeProvider time, CancellationToken ct)
    {
        var day = ParseDay(date, time, "date");
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with cashier and declaredPence is required.");
        var cashier = body.Cashier?.Trim();
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(cashier) && cashier.Length <= 100, "cashier", "Name the cashier (their user name) whose cash this is.");
        v.Require(body.DeclaredPence is >= 0 and <= 100_000_000, "declaredPence", "Declared cash must be a whole number of pence, 0 or more.");
        v.ThrowIfInvalid();

        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        // The key first (the lock order: idempotency key, then the day row). A replayed form declares nothing.
        if (await session.ClaimSubmissionAsync(body.IdempotencyKey, "payments.cash-declaration", SubmissionKeys.Fingerprint(Ledger.Text(day), cashier,
                body.DeclaredPence!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct).ConfigureAwait(false) is { } earlier)
            return (new CashDeclared(day, cashier!, body.DeclaredPence!.Value, long.Parse(earlier, System.Globalization.CultureInfo.InvariantCulture)), null, true);
        if (await Ledger.LockDayAsync(session, day, exclusive: false, ct).ConfigureAwait(false) is not null)
            throw ApiProblemException.Conflict($"The cash-up for {Ledger.Text(day)} is closed.");
        var expected = (await ExpectedCashAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, day, ct).ConfigureAwait(false))
            .GetValueOrDefault(cashier!);
        var declared = new CashDeclared(day, cashier!, body.DeclaredPence!.Value, expected);
        await session.AppendAsync(PaymentStreams.CashUp(day), ExpectedVersion.Any, [declared], null, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        return (declared, await session.CommitAsync(ct).ConfigureAwait(false), false);
    }

    private static async Task<IResult> Close(string date, HttpContext http, EventStore store, TimeProvider time, CancellationToken ct)
    {
        EventPositionHeader.Set(http, await CloseAsync(http.Council(), http.EventContext(), date, store, time, ct).ConfigureAwait(false));
        await using var tx = await store.Database.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(await SummaryAsync(tx.Connection, tx.Transaction, http.Council(), ParseDay(date, time, "date"), ct).ConfigureAwait(false));
    }

    /// <summary>Closes the day (shared by the endpoint and the cash-up page).</summary>
    internal static async Task<long?> CloseAsync(string council, EventContext context, string date, EventStore store, TimeProvider time, CancellationToken ct)
    {
        var day = ParseDay(date, time, "date");
        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        // Exclusive: waits for payments and refunds already writing to this day, then shuts the door.
        if (await Ledger.LockDayAsync(session, day, exclusive: true, ct).ConfigureAwait(false) is not null)
            throw ApiProblemException.Conflict($"The cash-up for {Ledger.Text(day)} is already closed.");
        var summary = await SummaryAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, day, ct).ConfigureAwait(false);
        await session.AppendAsync(PaymentStreams.CashUp(day), ExpectedVersion.Any,
            [new DayClosed(day, summary.NetPence, summary.Payments, summary.Refunds)], null, ct).ConfigureAwait(false);
        return await session.CommitAsync(ct).ConfigureAwait(false);
    }

    internal sealed record Line(string Key, string? Name, string? OnBehalfOf, int Payments, long PaymentsPence, int Refunds, long RefundsPence)
    {
        public long NetPence => PaymentsPence - RefundsPence;
    }

    internal sealed record Cashier(string Name, long ExpectedPence, long? DeclaredPence, long? DifferencePence);

    internal sealed record Summary(string Date, string Status, DateTimeOffset? ClosedAt, string? ClosedBy, int Payments, long PaymentsPence,
        int Refunds, long RefundsPence, IReadOnlyList<Line> ByChannel, IReadOnlyList<Line> ByFund, IReadOnlyList<Cashier> Cash)
    {
        public long NetPence => PaymentsPence - RefundsPence;
    }

    internal static async Task<Summary> SummaryAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string council, DateOnly day, CancellationToken ct)
    {
        await Ledger.EnsureFundsAsync(c, tx, council, ct).ConfigureAwait(false);
        var funds = (await Ledger.FundsAsync(c, tx, council, ct).ConfigureAwait(false)).ToDictionary(f => f.Code);
        // One row per (channel, fund): payments dated the day (succeeded only) and refunds issued on it.
        var rows = new List<(string Channel, string Fund, int P, long PP, int R, long RP)>();
        await using (var cmd = new NpgsqlCommand("""
            with p as (
              select channel, fund, count(*)::int n, sum(amount_pence)::bigint pence from payments.payments
              where tenant_id = $1 and business_date = $2 and status = 'succeeded' group by channel, fund),
            r as (
              select p.channel, p.fund, count(*)::int n, sum(r.amount_pence)::bigint pence
              from payments.refunds r join payments.payments p on p.tenant_id = r.tenant_id and p.id = r.payment_id
              where r.tenant_id = $1 and r.business_date = $2 group by p.channel, p.fund)
            select coalesce(p.channel, r.channel), coalesce(p.fund, r.fund), coalesce(p.n, 0), coalesce(p.pence, 0), coalesce(r.n, 0), coalesce(r.pence, 0)
            from p full join r on p.channel = r.channel and p.fund = r.fund
            """, c, tx))
        {
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(day);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                rows.Add((r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetInt32(4), r.GetInt64(5)));
        }
        static Line Sum(string key, string? name, string? onBehalfOf, IEnumerable<(string, string, int P, long PP, int R, long RP)> g) =>
            new(key, name, onBehalfOf, g.Sum(x => x.P), g.Sum(x => x.PP), g.Sum(x => x.R), g.Sum(x => x.RP));
        var byChannel = rows.GroupBy(x => x.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum(g.Key, null, null, g)).ToList();
        var byFund = rows.GroupBy(x => x.Fund).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Sum(g.Key, funds.GetValueOrDefault(g.Key)?.Name, funds.GetValueOrDefault(g.Key)?.OnBehalfOf, g)).ToList();

        var expected = await ExpectedCashAsync(c, tx, council, day, ct).ConfigureAwait(false);
        var declared = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("select cashier, declared_pence from payments.declarations where tenant_id = $1 and business_date = $2", c, tx))
        {
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(day);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) declared[r.GetString(0)] = r.GetInt64(1);
        }
        var cash = expected.Keys.Union(declared.Keys).Order(StringComparer.Ordinal).Select(name =>
        {
            var e = expected.GetValueOrDefault(name);
            long? d = declared.TryGetValue(name, out var x) ? x : null;
            return new Cashier(name, e, d, d - e);
        }).ToList();

        DateTimeOffset? closedAt = null;
        string? closedBy = null;
        await using (var cmd = new NpgsqlCommand("select closed_at, closed_by from payments.cash_days where tenant_id = $1 and business_date = $2 and closed_at is not null", c, tx))
        {
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.AddWithValue(day);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                closedAt = r.GetFieldValue<DateTimeOffset>(0);
                closedBy = r.IsDBNull(1) ? null : r.GetString(1);
            }
        }
        return new Summary(Ledger.Text(day), closedAt is null ? "open" : "closed", closedAt, closedBy,
            rows.Sum(x => x.P), rows.Sum(x => x.PP), rows.Sum(x => x.R), rows.Sum(x => x.RP), byChannel, byFund, cash);
    }

    /// <summary>Per cashier: cash taken less cash refunded that day.</summary>
    private static async Task<Dictionary<string, long>> ExpectedCashAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string council, DateOnly day, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select cashier, sum(pence)::bigint from (
              select taken_by cashier, amount_pence pence from payments.payments
              where tenant_id = $1 and business_date = $2 and channel = 'cash' and status = 'succeeded'
              union all
              select r.issued_by, -r.amount_pence from payments.refunds r join payments.payments p on p.tenant_id = r.tenant_id and p.id = r.payment_id
              where r.tenant_id = $1 and r.business_date = $2 and p.channel = 'cash') x
            group by cashier
            """, c, tx);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(day);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) result[r.GetString(0)] = r.GetInt64(1);
        return result;
    }
}
