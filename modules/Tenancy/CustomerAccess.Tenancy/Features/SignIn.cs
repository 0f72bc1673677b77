using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CustomerAccess.Tenancy.Features;

/// <summary>A row of tenancy.users, as the password hasher sees it.</summary>
internal sealed record TenancyUser(string Username);

/// <summary>
/// Checks a local user's password (PasswordHasher, never plain text) and locks the account for a
/// while after repeated failures. Every refusal looks the same to the caller, so neither an unknown
/// user name nor a locked account can be told apart from a wrong password.
/// </summary>
internal sealed class LocalSignIn(PlatformDatabase db, IHostEnvironment environment, IConfiguration configuration, TimeProvider time) : ILocalSignIn
{
    private static readonly PasswordHasher<TenancyUser> Hasher = new();
    // Verified against for unknown users so they take as long to refuse as known ones.
    private static readonly string DummyHash = Hasher.HashPassword(new TenancyUser("nobody"), Guid.NewGuid().ToString());

    private int MaxFailedAttempts => configuration.GetValue("CustomerAccess:Auth:MaxFailedAttempts", 5);
    private TimeSpan Lockout => TimeSpan.FromMinutes(configuration.GetValue("CustomerAccess:Auth:LockoutMinutes", 15));

    public static string Hash(string username, string password) => Hasher.HashPassword(new TenancyUser(username), password);

    public static string Normalise(string username) => username.Trim().ToLowerInvariant();

    public async Task<LocalUser?> SignInAsync(string username, string password, CancellationToken ct = default)
    {
        if (environment.IsProduction() || string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password)) return null;
        var name = Normalise(username);
        var now = time.GetUtcNow();

        await using var connection = await db.App.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        string hash; string[] roles; string[] councils; string? team; DateTimeOffset? lockedUntil;
        await using (var cmd = new Npgsql.NpgsqlCommand(
            "select password_hash, roles, councils, team, locked_until from tenancy.users where username = $1 for update", connection, tx))
        {
            cmd.Parameters.AddWithValue(name);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                Hasher.VerifyHashedPassword(new TenancyUser(name), DummyHash, password);
                return null;
            }
            hash = reader.GetString(0);
            roles = reader.GetFieldValue<string[]>(1);
            councils = reader.GetFieldValue<string[]>(2);
            team = reader.IsDBNull(3) ? null : reader.GetString(3);
            lockedUntil = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        }

        var result = Hasher.VerifyHashedPassword(new TenancyUser(name), hash, password);
        if (lockedUntil > now) return null; // locked: even the right password is refused, and says nothing more
        if (result == PasswordVerificationResult.Failed)
        {
            await using var fail = new Npgsql.NpgsqlCommand("""
                update tenancy.users set
                  locked_until = case when failed_attempts + 1 >= $2 then $3 else null end,
                  failed_attempts = case when failed_attempts + 1 >= $2 then 0 else failed_attempts + 1 end
                where username = $1
                """, connection, tx);
            fail.Parameters.AddWithValue(name);
            fail.Parameters.AddWithValue(MaxFailedAttempts);
            fail.Parameters.AddWithValue(now + Lockout);
            await fail.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return null;
        }

        await using (var ok = new Npgsql.NpgsqlCommand(
            "update tenancy.users set failed_attempts = 0, locked_until = null, password_hash = coalesce($2, password_hash) where username = $1", connection, tx))
        {
            ok.Parameters.AddWithValue(name);
            ok.Parameters.Add(new Npgsql.NpgsqlParameter
            {
                Value = result == PasswordVerificationResult.SuccessRehashNeeded ? Hash(name, password) : DBNull.Value,
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
            });
            await ok.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new LocalUser(name, roles, councils, team);
    }
}
