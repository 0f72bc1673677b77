using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Open311;

/// <summary>
/// Reporting sites' Open311 API keys, managed by a partnership admin (every route Policies.PartnershipAdmin):
/// POST /open311/keys {partner} issues a random key (32 bytes from the system's CSPRNG) and shows it
/// once, in that response only (Cache-Control: no-store); only its SHA-256 is stored, as before.
/// GET /open311/keys lists partner, fingerprint and times, never the key or its hash. DELETE
/// /open311/keys/{fingerprint} revokes: the Open311 POST looks the key up on every request, so it is
/// refused (403) from the commit on, on every host. Events (`waste.open311-key-issued`/`-revoked`)
/// carry the fingerprint and partner only; nothing here logs a key.
/// </summary>
internal static partial class O311KeyAdmin
{
    internal sealed record Request(string? Partner);

    internal sealed record KeyView(string Fingerprint, string Partner, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
    {
        public bool Revoked => RevokedAt is not null;
    }

    /// <summary>Every issued key starts so, so a leaked one is recognisable in a scan for secrets.</summary>
    public const string KeyPrefix = "ca311_";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/open311/keys", List).RequireAuthorization(Policies.PartnershipAdmin).WithName("Open311Keys");
        api.MapPost("/open311/keys", Issue).RequireAuthorization(Policies.PartnershipAdmin).WithName("IssueOpen311Key");
        api.MapDelete("/open311/keys/{fingerprint}", Revoke).RequireAuthorization(Policies.PartnershipAdmin).WithName("RevokeOpen311Key");
    }

    /// <summary>A new key: the prefix and 256 random bits, base64url.</summary>
    internal static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static async Task<IResult> List(HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(new { items = await ListAsync(tx, ct).ConfigureAwait(false), next = (string?)null });
    }

    /// <summary>The council's keys by fingerprint, oldest first, revoked ones too (never the key or its hash).</summary>
    internal static async Task<IReadOnlyList<KeyView>> ListAsync(TenantTransaction tx, CancellationToken ct)
    {
        await using var cmd = tx.Command("select fingerprint, partner, created_at, revoked_at from waste.open311_api_keys where tenant_id = $1 order by created_at, fingerprint");
        cmd.Parameters.AddWithValue(tx.Tenant);
        var items = new List<KeyView>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) items.Add(Read(r));
        return items;
    }

    /// <summary>What is said with a new key, on the API and the screen.</summary>
    public const string ShownOnce = "This is the only time the key is shown: only its hash is kept. Give it to the reporting site as api_key.";

    private static async Task<IResult> Issue(Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        _ = ValidPartner(body?.Partner); // a 400 before a connection is taken
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var issued = await IssueAsync(session, body?.Partner, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        http.Response.Headers.CacheControl = "no-store";
        return Results.Created($"/api/councils/{session.Tenant}/open311/keys/{issued.Key.Fingerprint}", new
        {
            fingerprint = issued.Key.Fingerprint,
            partner = issued.Key.Partner,
            createdAt = issued.Key.CreatedAt,
            revokedAt = (DateTimeOffset?)null,
            revoked = false,
            key = issued.Secret,
            note = ShownOnce,
        });
    }

    private static string ValidPartner(string? partner)
    {
        var name = partner?.Trim();
        if (name is null || !PartnerName().IsMatch(name))
            throw ApiProblemException.Validation("partner",
                "Name the reporting site the key is for (1 to 100 letters, digits, spaces and . - _ ' & ( )), e.g. FixMyStreet; it becomes the actor open311:{partner} on what the key reports.");
        return name;
    }

    /// <summary>A key just issued: <see cref="Secret"/> is shown once to whoever asked and never stored, logged or put in a URL.</summary>
    internal sealed record Issued(KeyView Key, string Secret);

    /// <summary>POST /open311/keys's core, shared with the admin screen: stores the new key's hash and records the issue in the session (the caller commits).</summary>
    internal static async Task<Issued> IssueAsync(EventSession session, string? partner, CancellationToken ct)
    {
        var name = ValidPartner(partner);
        var key = NewKey();
        string fingerprint;
        await using (var insert = session.Db.Command("""
            insert into waste.open311_api_keys (tenant_id, key_hash, partner) values ($1, $2, $3) returning fingerprint, created_at
            """))
        {
            insert.Parameters.AddWithValue(session.Tenant);
            insert.Parameters.AddWithValue(O311Keys.Hash(key));
            insert.Parameters.AddWithValue(name);
            await using var r = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            fingerprint = r.GetString(0);
        }
        await session.AppendAsync(ConfigurationStreams.Open311Key(fingerprint), ExpectedVersion.NoStream, [new Open311KeyIssued(fingerprint, name)], ct: ct)
            .ConfigureAwait(false);
        var view = await LoadAsync(session.Db, fingerprint, forUpdate: false, ct).ConfigureAwait(false);
        return new Issued(view!, key);
    }

    private static async Task<IResult> Revoke(string fingerprint, HttpContext http, EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var (key, changed) = await RevokeAsync(session, fingerprint, ct).ConfigureAwait(false);
        if (changed) EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(key);
    }

    /// <summary>
    /// DELETE /open311/keys/{fingerprint}'s core, shared with the admin screen: revokes in the session (the caller
    /// commits when changed; a key already revoked is unchanged). 404 for no such key of the council.
    /// </summary>
    internal static async Task<(KeyView Key, bool Changed)> RevokeAsync(EventSession session, string fingerprint, CancellationToken ct)
    {
        var key = await LoadAsync(session.Db, fingerprint.Trim().ToLowerInvariant(), forUpdate: true, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The Open311 key");
        if (key.Revoked) return (key, false);

        await using (var update = session.Db.Command("update waste.open311_api_keys set revoked_at = now() where tenant_id = $1 and fingerprint = $2"))
        {
            update.Parameters.AddWithValue(session.Tenant);
            update.Parameters.AddWithValue(key.Fingerprint);
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await session.AppendAsync(ConfigurationStreams.Open311Key(key.Fingerprint), ExpectedVersion.Any, [new Open311KeyRevoked(key.Fingerprint, key.Partner)], ct: ct)
            .ConfigureAwait(false);
        return ((await LoadAsync(session.Db, key.Fingerprint, forUpdate: false, ct).ConfigureAwait(false))!, true);
    }

    internal static async Task<KeyView?> LoadAsync(TenantTransaction tx, string fingerprint, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = tx.Command("select fingerprint, partner, created_at, revoked_at from waste.open311_api_keys where tenant_id = $1 and fingerprint = $2"
            + (forUpdate ? " for update" : ""));
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(fingerprint);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
    }

    private static KeyView Read(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3));

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} .'&()_-]{0,99}$")]
    private static partial Regex PartnerName();
}
