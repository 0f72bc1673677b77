using Npgsql;

namespace CustomerAccess.Platform.Messaging;

/// <summary>
/// "Only one host runs this": a session-scoped advisory lock held on a dedicated, unpooled
/// connection. If the holder dies its connection closes, PostgreSQL releases the lock and another
/// host's next attempt takes it. The same connection LISTENs for the channels the work needs.
/// </summary>
public sealed class LeaderLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private int _notified;

    private LeaderLease(NpgsqlConnection connection, string name)
    {
        _connection = connection;
        Name = name;
        _connection.Notification += (_, _) => Interlocked.Exchange(ref _notified, 1);
    }

    public string Name { get; }

    /// <summary>Tries once; null when another session holds the lease.</summary>
    public static async Task<LeaderLease?> TryAcquireAsync(string systemConnectionString, string name, IReadOnlyList<string> channels, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(systemConnectionString)
        {
            Pooling = false, // a pooled connection would keep the lock after we "close" it
            KeepAlive = 5,
            ApplicationName = "customeraccess-lease",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // The server notices a vanished client within ~15 s even if no FIN ever arrives.
            await using (var cmd = new NpgsqlCommand(
                "set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3", connection))
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", connection))
            {
                cmd.Parameters.AddWithValue("customeraccess.lease:" + name);
                if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
            }
            foreach (var channel in channels)
            {
                await using var listen = new NpgsqlCommand($"listen \"{channel.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
                await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return new LeaderLease(connection, name);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits for a notification on the listened channels or the timeout. Returns true when notified.
    /// Throws if the connection (and so the lease) is lost.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _notified, 0) == 1) return true;
        if (timeout <= TimeSpan.Zero) return false;
        await _connection.WaitAsync(timeout, ct).ConfigureAwait(false);
        return Interlocked.Exchange(ref _notified, 0) == 1;
    }

    /// <summary>Drops any notification already received (before a fresh read that sees everything anyway).</summary>
    public void ClearNotified() => Interlocked.Exchange(ref _notified, 0);

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);
}
