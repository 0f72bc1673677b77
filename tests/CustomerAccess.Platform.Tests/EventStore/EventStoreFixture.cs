using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;
using Npgsql;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>
/// A fresh, migrated database per fixture, an event store over it with this assembly's event
/// types, and the few helpers the event store's acceptance tests share.
/// </summary>
public abstract class EventStoreFixture
{
    protected TestDatabase Db { get; private set; } = null!;
    protected Platform.EventStore.EventStore Store { get; private set; } = null!;

    protected static EventContext Advisor => new() { Actor = "advisor", Channel = "phone" };

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        Db = await TestDatabase.CreateAsync();
        Store = Db.CreateEventStore([typeof(EventStoreFixture).Assembly]);
    }

    [OneTimeTearDown]
    public async Task DropDatabase() => await Db.DisposeAsync();

    protected static string NewStream(string prefix = "stream") => prefix + "-" + Guid.NewGuid().ToString("N");

    protected static string NewTenant(string prefix = "council") => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Appends in a session of its own and commits.</summary>
    protected async Task<IReadOnlyList<StoredEvent>> AppendCommittedAsync(string tenant, string stream, long expected,
        IReadOnlyList<object> events, string? customerId = null, EventContext? context = null, Platform.EventStore.EventStore? store = null)
    {
        await using var session = await (store ?? Store).OpenSessionAsync(tenant, context ?? Advisor);
        var stored = await session.AppendAsync(stream, expected, events, customerId);
        await session.CommitAsync();
        return stored;
    }

    protected async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string tenant, string stream, AsAt? asAt = null)
    {
        await using var session = await Store.OpenSessionAsync(tenant, Advisor);
        return await session.ReadStreamAsync(stream, asAt);
    }

    /// <summary>Runs one statement as the cluster superuser, which row-level security does not apply to.</summary>
    protected async Task<int> ExecuteAsAdminAsync(string sql, params object[] args)
    {
        await using var connection = await Db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        return await cmd.ExecuteNonQueryAsync();
    }

    protected async Task<T?> ScalarAsAdminAsync<T>(string sql, params object[] args)
    {
        await using var connection = await Db.OpenAdminAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>How many sessions of this database are waiting for a lock (to know a racer is blocked).</summary>
    protected Task<long> LockWaitersAsync() => ScalarAsAdminAsync<long>(
        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")!;
}
