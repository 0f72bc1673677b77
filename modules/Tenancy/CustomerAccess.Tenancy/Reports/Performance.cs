using System.Globalization;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Projections;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Tenancy.Reports;

/// <summary>
/// Performance for each council and for the partnership's joint committee: contacts by channel,
/// first-contact resolution, cases opened and resolved within standard, money taken, failure demand.
/// Fed from every module's events through contracts' <see cref="IPerformanceFact"/>, so no module's
/// tables are read; the Tenancy module keeps it because the partnership is its business.
/// </summary>
internal sealed class PerformanceProjection : IProjection
{
    internal static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public string Name => "tenancy-performance";

    public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
    {
        foreach (var e in batch.Events)
        {
            if (e.Data is not IPerformanceFact { PerformanceFact: var f }) continue;
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.OccurredAt, London).DateTime);
            await using var cmd = batch.Command("""
                insert into tenancy.performance_daily as t (tenant_id, day, channel, contacts, contacts_resolved_first, cases_opened,
                  cases_within_standard, payments_pence, failure_demand)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                on conflict (tenant_id, day, channel) do update set
                  contacts = t.contacts + excluded.contacts, contacts_resolved_first = t.contacts_resolved_first + excluded.contacts_resolved_first,
                  cases_opened = t.cases_opened + excluded.cases_opened, cases_within_standard = t.cases_within_standard + excluded.cases_within_standard,
                  payments_pence = t.payments_pence + excluded.payments_pence, failure_demand = t.failure_demand + excluded.failure_demand
                """);
            cmd.Parameters.AddWithValue(e.Tenant);
            cmd.Parameters.AddWithValue(day);
            cmd.Parameters.AddWithValue(f.ContactChannel ?? "");
            cmd.Parameters.AddWithValue(f.ContactChannel is null ? 0 : 1);
            cmd.Parameters.AddWithValue(f.ContactChannel is not null && f.ResolvedAtFirstContact == true ? 1 : 0);
            cmd.Parameters.AddWithValue(f.CasesOpened);
            cmd.Parameters.AddWithValue(f.CasesResolvedWithinStandard);
            cmd.Parameters.AddWithValue(f.PaymentsPence);
            cmd.Parameters.AddWithValue(f.FailureDemand);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
    {
        await using var cmd = batch.Command("delete from tenancy.performance_daily");
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Failure demand by reason and the contacts advisors classified, per council and day
/// (Schema/0006): what the councils need to see which failures to fix first.
/// </summary>
internal sealed class FailureDemandProjection : IProjection
{
    public string Name => "tenancy-failure-demand";

    public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
    {
        foreach (var e in batch.Events)
        {
            if (e.Data is not IPerformanceFact { PerformanceFact: var f }) continue;
            if (f.Demand is null && f.FailureReason is null) continue;
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.OccurredAt, PerformanceProjection.London).DateTime);
            await using var cmd = batch.Command("""
                insert into tenancy.failure_demand_daily as t (tenant_id, day, demand, reason, contacts) values ($1, $2, $3, $4, 1)
                on conflict (tenant_id, day, demand, reason) do update set contacts = t.contacts + 1
                """);
            cmd.Parameters.AddWithValue(e.Tenant);
            cmd.Parameters.AddWithValue(day);
            cmd.Parameters.AddWithValue(f.Demand ?? "");
            cmd.Parameters.AddWithValue(f.FailureReason ?? "");
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
    {
        await using var cmd = batch.Command("delete from tenancy.failure_demand_daily");
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

internal static class PerformanceReports
{
    internal sealed record Figures(
        string Council, IReadOnlyDictionary<string, int> ContactsByChannel, double? FirstContactResolutionRate, int CasesOpened,
        int CasesResolvedWithinStandard, long PaymentsTotalPence, int FailureDemand,
        IReadOnlyDictionary<string, int> FailureDemandByReason, int ClassifiedContacts, double? FailureDemandShare);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapCouncilApi().MapGet("/reports/performance", Council).RequireAuthorization(Policies.Read).WithName("CouncilPerformance");
        endpoints.MapGet("/api/partnership/reports/performance", Partnership).RequireAuthorization(Policies.Audit).WithName("PartnershipPerformance");
    }

    private static async Task<IResult> Council(string? from, string? to, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        var (start, end) = Period(from, to);
        var figures = await FiguresAsync(db, http.Council(), start, end, ct).ConfigureAwait(false);
        return Results.Ok(new
        {
            council = figures.Council, from = start, to = end, figures.ContactsByChannel, figures.FirstContactResolutionRate, figures.CasesOpened,
            figures.CasesResolvedWithinStandard, figures.PaymentsTotalPence, figures.FailureDemand,
            figures.FailureDemandByReason, figures.ClassifiedContacts, figures.FailureDemandShare,
        });
    }

    /// <summary>One row per council the caller acts for, for the joint committee.</summary>
    private static async Task<IResult> Partnership(string? from, string? to, HttpContext http, PlatformDatabase db, ICouncilDirectory directory, CancellationToken ct)
    {
        var (start, end) = Period(from, to);
        var rows = await PartnershipFiguresAsync(db, directory, http.User, start, end, ct).ConfigureAwait(false);
        return Results.Ok(new { from = start, to = end, items = rows, next = (string?)null });
    }

    /// <summary>One row per council the user serves, in id order (the API's and the screen's).</summary>
    internal static async Task<List<Figures>> PartnershipFiguresAsync(PlatformDatabase db, ICouncilDirectory directory, System.Security.Claims.ClaimsPrincipal user,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = new List<Figures>();
        foreach (var council in (await directory.ListAsync(ct).ConfigureAwait(false)).Where(c => user.Serves(c.Id)).OrderBy(c => c.Id, StringComparer.Ordinal))
            rows.Add(await FiguresAsync(db, council.Id, from, to, ct).ConfigureAwait(false));
        return rows;
    }

    /// <summary>from and to are dates (YYYY-MM-DD), both included; by default the last 30 days.</summary>
    internal static (DateOnly From, DateOnly To) Period(string? from, string? to)
    {
        var v = new Validator();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        DateOnly Parse(string? text, string field, DateOnly fallback)
        {
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return DateOnly.FromDateTime(t.UtcDateTime);
            v.Add(field, $"{field} must be a date like 2026-11-01.");
            return fallback;
        }
        var end = Parse(to, "to", today);
        // The default start is clamped to the calendar's first day: to=0001-01-10 alone is a short period, not an overflow.
        var start = Parse(from, "from", DateOnly.FromDayNumber(Math.Max(0, end.DayNumber - 29)));
        v.Require(start <= end, "from", "from must not be after to.");
        v.Require(end.DayNumber - start.DayNumber <= 366 * 3, "from", "A report covers at most three years.");
        v.ThrowIfInvalid();
        return (start, end);
    }

    internal static async Task<Figures> FiguresAsync(PlatformDatabase db, string council, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command("""
            select channel, sum(contacts)::int, sum(contacts_resolved_first)::int, sum(cases_opened)::int, sum(cases_within_standard)::int,
                   sum(payments_pence)::bigint, sum(failure_demand)::int
            from tenancy.performance_daily where tenant_id = $1 and day between $2 and $3 group by channel
            """);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        var byChannel = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int contacts = 0, resolvedFirst = 0, opened = 0, withinStandard = 0, failure = 0;
        long pence = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                if (r.GetString(0).Length > 0) byChannel[r.GetString(0)] = r.GetInt32(1);
                contacts += r.GetInt32(1);
                resolvedFirst += r.GetInt32(2);
                opened += r.GetInt32(3);
                withinStandard += r.GetInt32(4);
                pence += r.GetInt64(5);
                failure += r.GetInt32(6);
            }
        }

        await using var demand = tx.Command("""
            select demand, reason, sum(contacts)::int from tenancy.failure_demand_daily
            where tenant_id = $1 and day between $2 and $3 group by demand, reason
            """);
        demand.Parameters.AddWithValue(council);
        demand.Parameters.AddWithValue(from);
        demand.Parameters.AddWithValue(to);
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int classified = 0, classifiedFailure = 0;
        await using (var d = await demand.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await d.ReadAsync(ct).ConfigureAwait(false))
            {
                var (kind, reason, count) = (d.GetString(0), d.GetString(1), d.GetInt32(2));
                if (kind.Length > 0) classified += count;
                if (kind == DemandKinds.Failure) classifiedFailure += count;
                if (reason.Length > 0) byReason[reason] = byReason.GetValueOrDefault(reason) + count;
            }
        }
        // The share is of the contacts advisors classified, not of all contacts: an unclassified
        // contact is neither, and counting it as value demand would understate the failures.
        return new Figures(council, byChannel, contacts == 0 ? null : Math.Round((double)resolvedFirst / contacts, 4), opened, withinStandard, pence, failure,
            byReason, classified, classified == 0 ? null : Math.Round((double)classifiedFailure / classified, 4));
    }
}
