using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Case.Knowledge;

/// <summary>An article or call script published or revised (stream "knowledge-{id}"; no personal data).</summary>
[EventType("knowledge.article-saved")]
internal sealed record KnowledgeArticleSaved(string ArticleId, string Kind, string Service, string Title, string Body, bool Revision);

internal sealed record KnowledgeArticle(string Id, string Kind, string Service, string Title, string Body, DateTimeOffset UpdatedAt, string UpdatedBy, long Version);

/// <summary>
/// The knowledge base: per-council articles and call scripts by service. GET /knowledge?service=&amp;q=
/// (every role), POST /knowledge and PUT /knowledge/{id} (partnership admins), each change an event.
/// Search is PostgreSQL full text over the council's articles, picked out by the leakproof
/// (tenant_id, service) btree; the @@ test then runs on those rows (RLS keeps an index from serving
/// a non-leakproof operator, and a council's knowledge base is small).
/// </summary>
internal static class KnowledgeArticles
{
    public const string StreamPrefix = "knowledge-";
    public static readonly IReadOnlyList<string> Kinds = ["article", "script"];

    internal sealed record Request(string? Kind, string? Service, string? Title, string? Body);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/knowledge", Find).RequireAuthorization(Policies.Read).WithName("FindKnowledge");
        api.MapGet("/knowledge/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetKnowledge");
        api.MapPost("/knowledge", Create).RequireAuthorization(Policies.PartnershipAdmin).WithName("PublishKnowledge");
        api.MapPut("/knowledge/{id}", Update).RequireAuthorization(Policies.PartnershipAdmin).WithName("ReviseKnowledge");
    }

    private static async Task<IResult> Find(string? service, string? q, HttpContext http, PlatformDatabase db, CancellationToken ct) =>
        Results.Ok(new { items = await FindAsync(db, http.Council(), service, q, ct).ConfigureAwait(false), next = (string?)null });

    private static async Task<IResult> Get(string id, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(await FindOneAsync(tx, id, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The article"));
    }

    internal static async Task<IReadOnlyList<KnowledgeArticle>> FindAsync(PlatformDatabase db, string council, string? service, string? q, CancellationToken ct)
    {
        service = string.IsNullOrWhiteSpace(service) ? null : service.Trim().ToLowerInvariant();
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (q?.Length > 200) throw ApiProblemException.Validation("q", "The search must be 200 characters or fewer.");
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command($"""
            select {Columns} from cases.knowledge
            where tenant_id = $1 and ($2::text is null or service = $2)
              and ($3::text is null or search @@ websearch_to_tsquery('english', $3) or title ilike '%' || $3 || '%')
            order by case when $3::text is null then 0 else ts_rank(search, websearch_to_tsquery('english', $3)) end desc,
              kind desc, title
            limit 50
            """);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)service ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)q ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await ReadAsync(cmd, ct).ConfigureAwait(false);
    }

    private const string Columns = "id, kind, service, title, body, updated_at, updated_by, version";

    private static async Task<KnowledgeArticle?> FindOneAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command($"select {Columns} from cases.knowledge where tenant_id = $1 and id = $2");
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        return (await ReadAsync(cmd, ct).ConfigureAwait(false)).FirstOrDefault();
    }

    private static async Task<List<KnowledgeArticle>> ReadAsync(Npgsql.NpgsqlCommand cmd, CancellationToken ct)
    {
        var items = new List<KnowledgeArticle>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            items.Add(new KnowledgeArticle(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetString(6), r.GetInt64(7)));
        return items;
    }

    private static async Task<IResult> Create(Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var article = Validate(body);
        var id = Guid.CreateVersion7().ToString();
        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        await session.AppendAsync(StreamPrefix + id, ExpectedVersion.NoStream, [article with { ArticleId = id }], ct: ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Created($"/api/councils/{council}/knowledge/{id}", new { id, article.Kind, article.Service, article.Title, article.Body });
    }

    private static async Task<IResult> Update(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        var article = Validate(body);
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var version = await session.StreamVersionAsync(StreamPrefix + id, ct).ConfigureAwait(false);
        if (version == 0) throw ApiProblemException.NotFound("The article");
        await session.AppendAsync(StreamPrefix + id, version, [article with { ArticleId = id, Revision = true }], ct: ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(new { id, article.Kind, article.Service, article.Title, article.Body });
    }

    private static KnowledgeArticleSaved Validate(Request? body)
    {
        var v = new Validator();
        var kind = body?.Kind?.Trim();
        var service = body?.Service?.Trim().ToLowerInvariant();
        var title = body?.Title?.Trim();
        var text = body?.Body?.Trim();
        v.Require(kind is not null && Kinds.Contains(kind), "kind", "Kind is article or script.");
        v.Require(service is not null && Features.RaiseCase.ServicePattern.IsMatch(service), "service", "Service must be a service name like waste or council-tax.");
        v.Require(!string.IsNullOrEmpty(title) && title.Length <= 200, "title", "A title of up to 200 characters is required.");
        v.Require(!string.IsNullOrEmpty(text) && text.Length <= 20000, "body", "A body of up to 20000 characters is required.");
        v.ThrowIfInvalid();
        return new KnowledgeArticleSaved("", kind!, service!, title!, text!, false);
    }
}
