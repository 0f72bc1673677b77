using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerAccess.Platform.Database;

/// <summary>
/// Applies the platform's and each module's embedded SQL scripts (Schema/*.sql) once, in order,
/// under an advisory lock so several hosts starting together do not race.
/// </summary>
public sealed class Migrator(string adminConnectionString, IReadOnlyList<Assembly> assemblies, ILogger logger)
{
    private const long MigrationLockKey = 0x43415F4D4947; // "CA_MIG"

    public IReadOnlyList<Migration> Migrations { get; } = Discover(assemblies);

    public static IReadOnlyList<Migration> Discover(IEnumerable<Assembly> assemblies)
    {
        var list = new List<Migration>();
        foreach (var assembly in assemblies.Distinct())
        {
            var module = assembly.GetName().Name!;
            foreach (var resource in assembly.GetManifestResourceNames()
                         .Where(n => n.Contains(".Schema.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var name = resource[(resource.IndexOf(".Schema.", StringComparison.Ordinal) + ".Schema.".Length)..];
                list.Add(new Migration(module + "/" + name, reader.ReadToEnd()));
            }
        }
        return list;
    }

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await Exec(connection, "select pg_advisory_lock($1)", ct, MigrationLockKey).ConfigureAwait(false);
        try
        {
            await EnsureRolesAsync(connection, ct).ConfigureAwait(false);
            await Exec(connection, """
                create schema if not exists platform;
                create table if not exists platform.migrations (
                  id text primary key, checksum text not null, applied_at timestamptz not null default now());
                """, ct).ConfigureAwait(false);
            var applied = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("select id, checksum from platform.migrations", connection))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    applied[reader.GetString(0)] = reader.GetString(1);
            }

            foreach (var migration in Migrations)
            {
                if (applied.TryGetValue(migration.Id, out var checksum))
                {
                    if (checksum != migration.Checksum)
                        throw new InvalidOperationException($"Migration {migration.Id} was changed after it was applied; add a new script instead.");
                    continue;
                }
                logger.LogInformation("Applying migration {MigrationId}", migration.Id);
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (var cmd = new NpgsqlCommand(migration.Sql, connection, tx))
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await using (var cmd = new NpgsqlCommand("insert into platform.migrations (id, checksum) values ($1, $2)", connection, tx))
                {
                    cmd.Parameters.AddWithValue(migration.Id);
                    cmd.Parameters.AddWithValue(migration.Checksum);
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            await GrantRuntimeRolesAsync(connection, ct).ConfigureAwait(false);
        }
        finally
        {
            await Exec(connection, "select pg_advisory_unlock($1)", CancellationToken.None, MigrationLockKey).ConfigureAwait(false);
        }
    }

    /// <summary>Ready means every migration this build knows about has been applied.</summary>
    public async Task<bool> IsUpToDateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("select id from platform.migrations");
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            applied.Add(reader.GetString(0));
        return Migrations.All(m => applied.Contains(m.Id));
    }

    private static async Task EnsureRolesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // Roles are cluster-wide; creating them needs CREATEROLE, which the local and CI clusters have.
        // In production a DBA creates them once and this is a no-op.
        await Exec(connection, $"""
            do $$ begin
              if not exists (select 1 from pg_roles where rolname = '{PlatformDatabase.AppRole}') then
                create role {PlatformDatabase.AppRole} login nobypassrls;
              end if;
              if not exists (select 1 from pg_roles where rolname = '{PlatformDatabase.SystemRole}') then
                create role {PlatformDatabase.SystemRole} login bypassrls;
              end if;
            end $$;
            alter role {PlatformDatabase.AppRole} set idle_in_transaction_session_timeout = '30s';
            alter role {PlatformDatabase.SystemRole} set idle_in_transaction_session_timeout = '30s';
            """, ct).ConfigureAwait(false);
    }

    private static Task GrantRuntimeRolesAsync(NpgsqlConnection connection, CancellationToken ct) => Exec(connection, $"""
        do $$ declare s text; begin
          for s in select nspname from pg_namespace
                   where nspname not like 'pg\_%' and nspname <> 'information_schema' loop
            execute format('grant usage on schema %I to {PlatformDatabase.AppRole}, {PlatformDatabase.SystemRole}', s);
            execute format('grant select, insert, update, delete on all tables in schema %I to {PlatformDatabase.AppRole}, {PlatformDatabase.SystemRole}', s);
            execute format('grant usage, select, update on all sequences in schema %I to {PlatformDatabase.AppRole}, {PlatformDatabase.SystemRole}', s);
            execute format('grant execute on all functions in schema %I to {PlatformDatabase.AppRole}, {PlatformDatabase.SystemRole}', s);
          end loop;
        end $$;
        """, ct);

    private static async Task Exec(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

public sealed record Migration(string Id, string Sql)
{
    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}
