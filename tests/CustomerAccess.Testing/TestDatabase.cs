using System.Reflection;
using System.Security.Cryptography;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.PersonalData;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerAccess.Testing;

/// <summary>
/// A fresh, migrated database in the test cluster that ./test.sh starts (CUSTOMERACCESS_TEST_PG).
/// Each fixture gets its own, so test projects and fixtures never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string clusterConnectionString, string adminConnectionString)
    {
        Name = name;
        ClusterConnectionString = clusterConnectionString;
        AdminConnectionString = adminConnectionString;
        Database = new PlatformDatabase(adminConnectionString);
    }

    public string Name { get; }
    public string ClusterConnectionString { get; }
    public string AdminConnectionString { get; }
    public PlatformDatabase Database { get; }
    public string MasterKeyBase64 { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string ClusterFromEnvironment() =>
        Environment.GetEnvironmentVariable("CUSTOMERACCESS_TEST_PG")
        ?? throw new InvalidOperationException("CUSTOMERACCESS_TEST_PG is not set: run the tests with ./test.sh, which starts a PostgreSQL cluster.");

    public static async Task<TestDatabase> CreateAsync(params Assembly[] assemblies)
    {
        var cluster = ClusterFromEnvironment();
        var name = "ca_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var admin = new NpgsqlConnectionStringBuilder(cluster) { Database = name }.ConnectionString;
        var all = new[] { typeof(EventStore).Assembly }.Concat(assemblies).Distinct().ToArray();
        await new Migrator(admin, all, NullLogger.Instance).MigrateAsync();
        return new TestDatabase(name, cluster, admin);
    }

    /// <summary>An event store over this database, with the event types of the given assemblies.</summary>
    public EventStore CreateEventStore(IEnumerable<Assembly>? eventAssemblies = null, IEnumerable<IInlineProjection>? inline = null, TimeProvider? time = null)
    {
        var registry = new EventTypeRegistry();
        foreach (var assembly in eventAssemblies ?? []) registry.RegisterAssembly(assembly);
        return new EventStore(Database, registry, PersonalDataProtector.FromBase64(MasterKeyBase64), inline ?? [], time);
    }

    /// <summary>A connection as the schema owner: RLS does not apply (FORCE aside), for raw checks.</summary>
    public async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Puts a message straight into the dead letters, as the dispatcher leaves one that kept failing
    /// (five attempts), so dead-letter screens and routes can be tested without waiting for retries.
    /// </summary>
    public async Task<long> AddDeadLetterAsync(string tenant, string messageType, string payload, string error, Guid? messageId = null)
    {
        await using var connection = await OpenAdminAsync();
        await using var cmd = new NpgsqlCommand("""
            insert into platform.dead_letters (tenant_id, message_id, message_type, payload, created_at, attempts, error)
            values ($1, $2, $3, $4::jsonb, now(), 5, $5)
            returning id
            """, connection);
        cmd.Parameters.AddWithValue(tenant);
        cmd.Parameters.AddWithValue(messageId ?? Guid.CreateVersion7());
        cmd.Parameters.AddWithValue(messageType);
        cmd.Parameters.AddWithValue(payload);
        cmd.Parameters.AddWithValue(error);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ClusterConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
