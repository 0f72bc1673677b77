using System.Globalization;
using System.Text;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// The auditors' view of a council's log: the raw events with who, which channel, when and the
/// correlation id, filterable by customer and time, and the tamper-evidence check of the chain.
/// Auditors read; nothing here writes.
/// </summary>
public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapCouncilApi().WithTags("Audit");
        audit.MapGet("/audit/events", Events).RequireAuthorization(Policies.Audit).WithName("AuditEvents");
        audit.MapGet("/audit/verify", Verify).RequireAuthorization(Policies.Audit).WithName("AuditVerify");
    }

    private static async Task<IResult> Verify(HttpContext http, EventStore store, CancellationToken ct)
    {
        var result = await store.VerifyAsync(http.Council(), null, ct).ConfigureAwait(false);
        return Results.Ok(new { ok = result.Ok, eventsChecked = result.EventsChecked, firstBrokenPosition = result.FirstBrokenPosition });
    }

    private static async Task<IResult> Events(string? customerId, string? from, string? to, int? limit, string? cursor,
        HttpContext http, EventStore store, CancellationToken ct)
    {
        var v = new Validator();
        var fromTime = ParseInstant(from, "from", v);
        var toTime = ParseInstant(to, "to", v);
        v.Require(fromTime is null || toTime is null || fromTime < toTime, "to", "to must be after from.");
        v.Require(limit is null or (>= 1 and <= 500), "limit", "limit must be between 1 and 500.");
        long after = 0;
        if (!string.IsNullOrEmpty(cursor) && !TryDecode(cursor, out after)) v.Add("cursor", "This cursor is not valid; use the next value of a previous page.");
        v.ThrowIfInvalid();
        var take = limit ?? 100;

        await using var session = await store.OpenSessionAsync(http.Council(), EventContext.System(http.User.Actor()), ct).ConfigureAwait(false);
        // A customer's events go through es.customer_events (its index works under RLS); otherwise
        // the council's log in position order, which the primary key serves.
        var source = customerId is null ? "es.events" : "es.customer_events($5, null, null)";
        await using var cmd = session.Db.Command($"""
            select {EventStore.Columns} from {source} e
            where e.tenant_id = $1 and e.position > $2
              and ($3::timestamptz is null or e.occurred_at >= $3) and ($4::timestamptz is null or e.occurred_at < $4)
            order by e.position limit $6
            """);
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(after);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)fromTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)toTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(take + 1);
        var events = await store.ReadEventsAsync(cmd, session.Db.Connection, session.Db.Transaction, ct).ConfigureAwait(false);
        var page = events.Take(take).Select(e => new
        {
            e.Position, e.StreamId, e.StreamVersion, e.EventId, type = e.EventType, e.SchemaVersion, e.OccurredAt, e.RecordedAt,
            actor = e.Metadata.Actor, onBehalfOf = e.Metadata.OnBehalfOf, channel = e.Metadata.Channel, correlationId = e.Metadata.CorrelationId, causationId = e.Metadata.CausationId,
            customerId = e.Metadata.CustomerId, traceParent = e.Metadata.TraceParent, data = e.Data,
        }).ToList();
        var next = events.Count > take ? Encode(page[^1].Position) : null;
        return Results.Ok(new { items = page, next });
    }

    private static DateTimeOffset? ParseInstant(string? text, string field, Validator v)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // An unencoded "+01:00" offset arrives as " 01:00" (a query's + is a space): read it as the offset.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ||
            DateTimeOffset.TryParse(text.Trim().Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
            return t;
        v.Add(field, $"{field} must be an ISO 8601 date and time, like 2026-11-01T09:30:00Z.");
        return null;
    }

    private static string Encode(long position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("a:" + position.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string cursor, out long position)
    {
        position = 0;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
            return text.StartsWith("a:", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out position);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
