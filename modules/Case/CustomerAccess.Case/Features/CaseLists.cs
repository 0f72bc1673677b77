using System.Globalization;
using System.Security.Claims;
using System.Text;
using CustomerAccess.Case.Domain;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerAccess.Case.Features;

/// <summary>A case as lists show it: from the read model, no free text.</summary>
internal sealed record CaseListItem(
    string Id, string Reference, string CustomerId, string Type, string Service, string Status, string? Team, DateTimeOffset DueAt, int? Stage,
    string? Member, bool Restricted, bool Overdue, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

internal sealed record CaseList(IReadOnlyList<CaseListItem> Items, string? Next);

/// <summary>
/// GET /queues/{team}: a team's open (not resolved) cases, soonest due first, each flagged overdue
/// or not. GET /members/me/cases: the calling member's casework. Restricted cases appear only to
/// those who may see them. Keyset paging: next is an opaque cursor.
/// </summary>
internal static class CaseLists
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/queues/{team}", Queue).RequireAuthorization(Policies.ServiceTeam).WithName("TeamQueue");
        api.MapGet("/members/me/cases", MemberCases).RequireAuthorization(Policies.Read).WithName("MemberCasework");
    }

    private static async Task<IResult> Queue(string team, int? limit, string? cursor, HttpContext http, PlatformDatabase db, TimeProvider time,
        CancellationToken ct)
    {
        if (!Teams.All.Contains(team)) throw ApiProblemException.NotFound("The team");
        return Results.Ok(await QueueAsync(db, http.Council(), team, http.User, limit, cursor, time, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> MemberCases(int? limit, string? cursor, HttpContext http, PlatformDatabase db, TimeProvider time, CancellationToken ct) =>
        Results.Ok(await MemberCasesAsync(db, http.Council(), http.User, limit, cursor, time, ct).ConfigureAwait(false));

    internal static async Task<CaseList> QueueAsync(PlatformDatabase db, string council, string team, ClaimsPrincipal user, int? limit, string? cursor,
        TimeProvider time, CancellationToken ct)
    {
        var (after, afterId) = Decode(cursor);
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command($"""
            select {Columns} from cases.cases
            where tenant_id = $1 and team = $2 and status <> 'resolved' and (not restricted or $3)
              and ($4::timestamptz is null or (due_at, id) > ($4, $5))
            order by due_at, id
            limit $6
            """);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(team);
        cmd.Parameters.AddWithValue(SafeguardingConcerns.MaySee(user));
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue(afterId ?? "");
        var take = Take(limit);
        cmd.Parameters.AddWithValue(take + 1);
        var items = await ReadAsync(cmd, time, ct).ConfigureAwait(false);
        return Page(items, take, i => Encode(i.DueAt, i.Id));
    }

    internal static async Task<CaseList> MemberCasesAsync(PlatformDatabase db, string council, ClaimsPrincipal user, int? limit, string? cursor,
        TimeProvider time, CancellationToken ct)
    {
        var (before, beforeId) = Decode(cursor);
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command($"""
            select {Columns} from cases.cases
            where tenant_id = $1 and member = $2 and (not restricted or $3)
              and ($4::timestamptz is null or (raised_at, id) < ($4, $5))
            order by raised_at desc, id desc
            limit $6
            """);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(user.Actor());
        cmd.Parameters.AddWithValue(SafeguardingConcerns.MaySee(user));
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue(beforeId ?? "");
        var take = Take(limit);
        cmd.Parameters.AddWithValue(take + 1);
        var items = await ReadAsync(cmd, time, ct).ConfigureAwait(false);
        return Page(items, take, i => Encode(i.RaisedAt, i.Id));
    }

    /// <summary>A limit out of range is the caller's mistake, refused as on every other list (not quietly changed).</summary>
    private static int Take(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw ApiProblemException.Validation("limit", $"limit must be between 1 and {MaxLimit}."),
    };

    private const string Columns =
        "id, reference, customer_id, type, service, status, team, due_at, stage, member, restricted, raised_at, resolved_at";

    private static async Task<List<CaseListItem>> ReadAsync(Npgsql.NpgsqlCommand cmd, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var items = new List<CaseListItem>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var dueAt = r.GetFieldValue<DateTimeOffset>(7);
            var status = r.GetString(5);
            items.Add(new CaseListItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), status,
                r.IsDBNull(6) ? null : r.GetString(6), dueAt, r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.GetBoolean(10), status != CaseStatuses.Resolved && now > dueAt, r.GetFieldValue<DateTimeOffset>(11),
                r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12)));
        }
        return items;
    }

    private static CaseList Page(List<CaseListItem> items, int take, Func<CaseListItem, string> cursorOf) =>
        items.Count > take ? new CaseList(items.GetRange(0, take), cursorOf(items[take - 1])) : new CaseList(items, null);

    private static string Encode(DateTimeOffset at, string id) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "|" + id));

    private static (DateTimeOffset?, string?) Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return (null, null);
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && DateTimeOffset.TryParse(text[..bar], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return (at, text[(bar + 1)..]);
        }
        catch (FormatException)
        {
        }
        throw ApiProblemException.Validation("cursor", "The cursor is not one this list gave out.");
    }
}
