using System.Security.Cryptography;
using System.Text;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Modules;

namespace CustomerAccess.Waste.Open311;

/// <summary>
/// Reporting sites' API keys (waste.open311_api_keys): per council, only the key's SHA-256 kept.
/// A key answers with the partner's name (the actor on the events it causes), or null.
/// </summary>
internal static class O311Keys
{
    /// <summary>The key every seeded council takes in local mode (../shared/api-contract.md).</summary>
    public const string LocalKey = "local-open311-key";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static async Task<string?> PartnerAsync(PlatformDatabase db, string council, string? key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200) return null;
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await using var cmd = tx.Command("select partner from waste.open311_api_keys where tenant_id = $1 and key_hash = $2 and revoked_at is null");
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(Hash(key));
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }
}

/// <summary>Local mode: the local key for every seed council (idempotent).</summary>
internal sealed class O311KeySeeder(PlatformDatabase db) : ILocalSeeder
{
    public int Order => 51;

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var council in SeedCouncils.All)
        {
            await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
            await using (var cmd = tx.Command("insert into waste.open311_api_keys (tenant_id, key_hash, partner) values ($1, $2, $3) on conflict do nothing"))
            {
                cmd.Parameters.AddWithValue(council);
                cmd.Parameters.AddWithValue(O311Keys.Hash(O311Keys.LocalKey));
                cmd.Parameters.AddWithValue("local-reporting-site");
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }
}
