using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;

namespace CustomerAccess.Platform.Database;

/// <summary>
/// The three ways the platform talks to PostgreSQL. <see cref="App"/> connects as a role that
/// row-level security applies to, so every read and write is confined to the council set on its
/// transaction; <see cref="System"/> bypasses RLS and is only for the platform's own cross-council
/// work (subscriptions, outbox sweeps, migrations checks); the admin string owns the schema.
/// </summary>
public sealed partial class PlatformDatabase : IAsyncDisposable
{
    public const string AppRole = "customeraccess_app";
    public const string SystemRole = "customeraccess_system";

    public PlatformDatabase(string adminConnectionString, string? appConnectionString = null, string? systemConnectionString = null)
    {
        AdminConnectionString = adminConnectionString;
        AppConnectionString = appConnectionString ?? WithUser(adminConnectionString, AppRole, "app");
        SystemConnectionString = systemConnectionString ?? WithUser(adminConnectionString, SystemRole, "system");
        App = new NpgsqlDataSourceBuilder(Tuned(AppConnectionString)).Build();
        System = new NpgsqlDataSourceBuilder(Tuned(SystemConnectionString)).Build();
        Notifier = new CommitNotifier(System);
    }

    /// <summary>Wakes subscriptions and the outbox after a commit (see <see cref="CommitNotifier"/>).</summary>
    public CommitNotifier Notifier { get; }

    public string AdminConnectionString { get; }
    public string AppConnectionString { get; }
    public string SystemConnectionString { get; }
    public NpgsqlDataSource App { get; }
    public NpgsqlDataSource System { get; }

    /// <summary>Opens a transaction scoped to one council: RLS sees only that council's rows.</summary>
    public async Task<TenantTransaction> BeginAsync(string tenant, CancellationToken ct = default)
    {
        var (connection, councilSet) = await OpenTenantConnectionAsync(tenant, ct).ConfigureAwait(false);
        try
        {
            // Npgsql sends BEGIN with the transaction's first command, not on its own.
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            if (!councilSet)
            {
                await using var cmd = new NpgsqlCommand("select set_config('app.tenant_id', $1, true)", connection, transaction);
                cmd.Parameters.AddWithValue(tenant);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return new TenantTransaction(tenant, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A connection for one council. Each council in use gets its own pool whose connections carry
    /// the council from their start (the startup option <c>app.tenant_id</c>), so a transaction needs
    /// no statement of its own to set it: a single-event append is one round trip instead of two
    /// (docs/benchmarks.md). When the council id is not a plain slug, or <see cref="MaxCouncilPools"/>
    /// councils already have a pool, the shared pool is used and <c>councilSet</c> is false: the
    /// caller must then set the council on its transaction with set_config(..., true).
    /// </summary>
    public async Task<(NpgsqlConnection Connection, bool CouncilSet)> OpenTenantConnectionAsync(string tenant, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var source = CouncilPool(tenant);
        var connection = await (source ?? App).OpenConnectionAsync(ct).ConfigureAwait(false);
        return (connection, source is not null);
    }

    /// <summary>Whether connections for this council come set to it (see <see cref="OpenTenantConnectionAsync"/>).</summary>
    public bool HasCouncilPool(string tenant) => CouncilPool(tenant) is not null;

    /// <summary>How many councils get a pool of their own; the rest share <see cref="App"/>.</summary>
    public int MaxCouncilPools { get; init; } = 32;

    private NpgsqlDataSource? CouncilPool(string tenant)
    {
        if (_councilPools.TryGetValue(tenant, out var source)) return source;
        if (!PlainCouncilId().IsMatch(tenant)) return null;
        lock (_councilPools)
        {
            if (_councilPools.TryGetValue(tenant, out source)) return source;
            if (_councilPools.Count >= MaxCouncilPools) return null;
            var builder = new NpgsqlConnectionStringBuilder(Tuned(AppConnectionString));
            // Session-level, fixed for the connection's life: nothing on these connections may
            // change it (set_config(..., true) inside a transaction reverts at its end).
            builder.Options = string.Join(' ', new[] { builder.Options, "-c app.tenant_id=" + tenant }.Where(o => !string.IsNullOrWhiteSpace(o)));
            builder.ApplicationName = (builder.ApplicationName ?? "customeraccess") + ":" + tenant;
            // Idle connections of a quiet council close soon, so many councils do not pin connections.
            // The pool keeps the shared pool's size: a smaller one could starve work that holds one
            // connection of the council while it opens another.
            if (!ContainsKey(AppConnectionString, "Connection Idle Lifetime", "ConnectionIdleLifetime")) builder.ConnectionIdleLifetime = 60;
            source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
            _councilPools[tenant] = source;
            return source;
        }
    }

    // Only ids that need no quoting in a startup option; anything else takes the shared pool.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex PlainCouncilId();

    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _councilPools = new(StringComparer.Ordinal);

    /// <summary>
    /// Pool settings for the runtime roles, unless the connection string says otherwise:
    /// statements are prepared automatically (the store's few statements are parsed and planned
    /// once per connection), and a connection is not reset when it goes back to the pool.
    /// Npgsql's reset (DISCARD ALL) would throw away those prepared statements and the cached
    /// plans of es.append on every use, which halved append throughput (docs/benchmarks.md).
    /// Skipping it is safe because nothing here sets session state: the council is set with
    /// set_config(..., true) and locks are transaction-scoped, so both end with the transaction,
    /// and Npgsql still rolls back an unfinished transaction when a connection is returned.
    /// Code on these connections must keep it that way (SET LOCAL, never SET; no temp tables).
    /// </summary>
    internal static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ContainsKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        if (!ContainsKey(connectionString, "No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static bool ContainsKey(string connectionString, params string[] names) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim())
            .Any(key => names.Any(name => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)));

    private static string WithUser(string connectionString, string user, string applicationSuffix)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Username = user, Password = null };
        builder.ApplicationName = (builder.ApplicationName ?? "customeraccess") + "-" + applicationSuffix;
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await Notifier.DisposeAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        foreach (var pool in _councilPools.Values) await pool.DisposeAsync().ConfigureAwait(false);
        await System.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A connection and transaction confined to one council by row-level security.</summary>
public sealed class TenantTransaction(string tenant, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public string Tenant { get; } = tenant;
    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken ct = default) => Transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
