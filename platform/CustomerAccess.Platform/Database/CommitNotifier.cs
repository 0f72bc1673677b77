using Npgsql;

namespace CustomerAccess.Platform.Database;

/// <summary>What a commit wrote that someone may be LISTENing for.</summary>
[Flags]
public enum CommitChannels
{
    None = 0,
    /// <summary>events appended: subscriptions LISTEN on es_events</summary>
    Events = 1,
    /// <summary>messages queued: the outbox dispatcher LISTENs on ca_outbox</summary>
    Outbox = 2,
}

/// <summary>
/// Wakes the listeners after a commit, from outside the writing transaction. A NOTIFY inside the
/// writer's transaction (the first design: statement triggers on es.events and platform.outbox)
/// makes PostgreSQL take its one notify-queue lock at commit and hold it through the WAL flush, so
/// every writer's commit queued behind every other's: measured with pgbench at 16 clients, a plain
/// insert ran at 2,300–2,900 tx/s without the trigger and 300–700 with it (docs/benchmarks.md).
/// Here the NOTIFY is a separate statement on its own connection, sent after the commit returned.
/// Signals coalesce: at most one NOTIFY is in flight, and commits that arrive meanwhile are covered
/// by the next one, so a burst of writers costs a few NOTIFYs, not one each. After each NOTIFY the
/// loop rests <see cref="MinInterval"/> so a steady writer is covered by one NOTIFY per interval
/// rather than one per commit: a NOTIFY is a transaction with an xid of its own, and at one writer a
/// NOTIFY per append doubled the commits the server made. The NOTIFY's own commit does not wait for
/// its WAL flush (synchronous_commit off): nothing is lost if it is, the listeners poll anyway.
/// A NOTIFY that cannot be sent (database restarting) costs latency only: listeners also poll.
/// </summary>
public sealed class CommitNotifier : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Task> _loop;
    private int _pending;

    /// <summary>The shortest time between two NOTIFYs: the most a listener's wake-up is delayed by coalescing.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    public CommitNotifier(NpgsqlDataSource source)
    {
        _source = source;
        _loop = new Lazy<Task>(() => Task.Run(RunAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Call after a commit returned; never blocks the writer.</summary>
    public void Committed(CommitChannels channels)
    {
        if (channels == CommitChannels.None || _stop.IsCancellationRequested) return;
        // Only the writer that finds nothing pending wakes the loop: under many writers the others
        // cost one interlocked instruction, not a semaphore lock (and, with a bounded semaphore, a
        // SemaphoreFullException each, which once took a tenth of a writer's CPU).
        if (Interlocked.Or(ref _pending, (int)channels) != 0) return;
        _ = _loop.Value;
        _wake.Release();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var channels = (CommitChannels)Interlocked.Exchange(ref _pending, 0);
            if (channels == CommitChannels.None) continue;
            try
            {
                // One round trip: both statements run in one implicit transaction.
                await using var batch = _source.CreateBatch();
                batch.BatchCommands.Add(new NpgsqlBatchCommand("select set_config('synchronous_commit', 'off', true)"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(channels switch
                {
                    CommitChannels.Events => "select pg_notify('es_events', '')",
                    CommitChannels.Outbox => "select pg_notify('ca_outbox', '')",
                    _ => "select pg_notify('es_events', ''), pg_notify('ca_outbox', '')",
                }));
                await batch.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(MinInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                // Listeners fall back to polling; nothing is lost, it is only later.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop.IsValueCreated) await _loop.Value.ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }
}
