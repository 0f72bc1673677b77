using System.Globalization;
using System.Text;
using CustomerAccess.Contracts;
using CustomerAccess.Customer.Timeline;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Customer.Features;

/// <summary>
/// GET /customers/{id}/timeline: every contact and every module's event about the customer (and the
/// duplicates merged into it), newest first, cursor-paged, filterable by module. With asAt the
/// timeline is rebuilt from the events known at that instant instead of read from the read model.
/// </summary>
internal static class GetTimeline
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/customers/{id}/timeline", Handle).RequireAuthorization(Policies.Read).WithName("CustomerTimeline");

    private static async Task<IResult> Handle(string id, string? asAt, string? order, int? limit, string? cursor, string? module,
        HttpContext http, EventStore store, PlatformDatabase db, CancellationToken ct)
    {
        var instant = History.ParseAsAt(asAt);
        var v = new Validator();
        var ascending = order switch { null or "" or "desc" => false, "asc" => true, _ => Invalid(v, "order", "order must be desc or asc.") };
        v.Require(limit is null or (>= 1 and <= 200), "limit", "limit must be between 1 and 200.");
        v.Require(module is null || TimelineModules.All.Contains(module), "module", "module must be one of " + string.Join(", ", TimelineModules.All) + ".");
        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (DecodeCursor(cursor) is { } c) after = c;
            else v.Add("cursor", "This cursor is not valid; use the next value of a previous page.");
        }
        v.ThrowIfInvalid();
        var (items, next) = await PageAsync(id, instant, ascending, limit ?? 50, after, module, http, store, db, ct).ConfigureAwait(false);
        return Results.Ok(new { items, next });
    }

    /// <summary>One page of the timeline (API and the single view): from the read model, or rebuilt from events with asAt.</summary>
    internal static async Task<(List<TimelineEntry> Items, string? Next)> PageAsync(string id, DateTimeOffset? instant, bool ascending, int take,
        long? after, string? module, HttpContext http, EventStore store, PlatformDatabase db, CancellationToken ct)
    {
        List<TimelineEntry> page;
        if (instant is null)
        {
            await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
            page = await ReadModelPageAsync(tx, id, ascending, after, module, take + 1, ct).ConfigureAwait(false);
        }
        else
        {
            await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
            var entries = History.Entries(await History.EventsAsync(session, id, AsAt.FromTime(instant), ct).ConfigureAwait(false))
                .Where(e => module is null || e.Module == module)
                .Where(e => after is null || (ascending ? e.Position > after : e.Position < after));
            page = (ascending ? entries.OrderBy(e => e.Position) : entries.OrderByDescending(e => e.Position)).Take(take + 1).ToList();
        }
        string? next = null;
        if (page.Count > take)
        {
            page.RemoveAt(page.Count - 1);
            next = EncodeCursor(page[^1].Position);
        }
        return (page, next);
    }

    private static async Task<List<TimelineEntry>> ReadModelPageAsync(TenantTransaction tx, string id, bool ascending, long? after, string? module, int take, CancellationToken ct)
    {
        await using (var check = tx.Command("select merged_into from customer.customers where tenant_id = $1 and id = $2"))
        {
            check.Parameters.AddWithValue(tx.Tenant);
            check.Parameters.AddWithValue(id);
            var found = await check.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (found is null) throw ApiProblemException.NotFound("The customer");
            if (found is string survivor)
                throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", "This customer record was merged into another.")
                {
                    Extensions = new Dictionary<string, object?> { ["mergedInto"] = survivor },
                };
        }
        await using var cmd = tx.Command($"""
            select position, occurred_at, module, type, summary, channel, actor, reference from customer.timeline
            where tenant_id = $1
              and customer_id in (select $2 union all select id from customer.customers where tenant_id = $1 and merged_into = $2)
              and ($3::text is null or module = $3)
              and ($4::bigint is null or position {(ascending ? ">" : "<")} $4)
            order by position {(ascending ? "asc" : "desc")}
            limit $5
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)module ?? DBNull.Value);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)after ?? DBNull.Value);
        cmd.Parameters.AddWithValue(take);
        var list = new List<TimelineEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new TimelineEntry(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        return list;
    }

    private static bool Invalid(Validator v, string field, string message)
    {
        v.Add(field, message);
        return false;
    }

    internal static string EncodeCursor(long position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("p:" + position.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static long? DecodeCursor(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            return text.StartsWith("p:", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
