using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerAccess.Platform.Projections;

/// <summary>
/// Runs every <see cref="IProjection"/> as a subscription to the global log. Each subscription
/// runs on one host at a time (a <see cref="LeaderLease"/>), is woken by NOTIFY on commit with a
/// slow fallback poll, and writes its rows and its checkpoint in one transaction. The checkpoint
/// row is locked and compared first, so a stale leader or a rebuild can never double-apply.
/// </summary>
public sealed partial class SubscriptionRunner(
    EventStore.EventStore store,
    IEnumerable<IProjection> projections,
    IOptions<MessagingOptions> options,
    ILogger<SubscriptionRunner> logger,
    TimeProvider? time = null) : BackgroundService
{
    private static readonly Histogram<double> Lag = EventStore.EventStore.Meter.CreateHistogram<double>(
        "customeraccess.projection.lag", "ms", "Time from an event's commit to its projection.");
    private static readonly Counter<long> Projected = EventStore.EventStore.Meter.CreateCounter<long>(
        "customeraccess.projection.events", "{event}");
    private readonly IProjection[] _projections = projections.ToArray();
    private readonly MessagingOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, bool> _leading = new(StringComparer.Ordinal);

    public IReadOnlyList<IProjection> Projections => _projections;

    /// <summary>Whether this instance currently holds the lease of the named subscription.</summary>
    public bool IsLeader(string name) => _leading.ContainsKey(name);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _options.RunBackgroundWork
            ? Task.WhenAll(_projections.Select(p => Task.Run(() => RunAsync(p, stoppingToken), stoppingToken)))
            : Task.CompletedTask;

    private async Task RunAsync(IProjection projection, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var lease = await LeaderLease.TryAcquireAsync(
                    store.Database.SystemConnectionString, "subscription:" + projection.Name, ["es_events"], ct).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(_options.LeaseRetryInterval, _time, ct).ConfigureAwait(false);
                    continue;
                }
                _leading[projection.Name] = true;
                LogLeading(logger, projection.Name);
                try
                {
                    await LeadAsync(projection, lease, ct).ConfigureAwait(false);
                }
                finally
                {
                    _leading.TryRemove(projection.Name, out _);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLeaseLost(logger, projection.Name, Describe(e));
                await Task.Delay(_options.ErrorBackoff, _time, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task LeadAsync(IProjection projection, LeaderLease lease, CancellationToken ct)
    {
        var checkpoint = await LoadCheckpointAsync(projection.Name, ct).ConfigureAwait(false);
        var quickRetries = 0;
        while (!ct.IsCancellationRequested)
        {
            lease.ClearNotified();
            IReadOnlyList<StoredEvent> events;
            try
            {
                events = await store.ReadAllAsync(checkpoint, _options.SubscriptionBatchSize, ct).ConfigureAwait(false);
                if (events.Count > 0)
                {
                    checkpoint = await ApplyAsync(projection, checkpoint, events, ct).ConfigureAwait(false)
                        ?? await LoadCheckpointAsync(projection.Name, ct).ConfigureAwait(false);
                    quickRetries = 0;
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The batch rolled back: nothing of it was written. Reload (the checkpoint may have
                // moved under a rebuild) and try again after a pause, still holding the lease.
                LogBatchFailed(logger, projection.Name, Describe(e));
                await Task.Delay(_options.ErrorBackoff, _time, ct).ConfigureAwait(false);
                checkpoint = await LoadCheckpointAsync(projection.Name, ct).ConfigureAwait(false);
                continue;
            }

            // Caught up. A commit wakes us through NOTIFY; but a notified commit can stay invisible
            // for a moment behind an older transaction still running, so look again soon a few times.
            var wait = quickRetries < 5 ? TimeSpan.FromMilliseconds(20 << quickRetries) : _options.PollInterval;
            if (wait > _options.PollInterval) wait = _options.PollInterval;
            var notified = await lease.WaitAsync(wait, ct).ConfigureAwait(false);
            quickRetries = notified ? 0 : quickRetries + 1;
            // A rebuild resets the stored checkpoint (and notifies): pick that up when idle.
            if (notified || quickRetries > 5)
                checkpoint = await LoadCheckpointAsync(projection.Name, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Projects one batch; null when the stored checkpoint is not ours (rebuild or another leader).</summary>
    private async Task<GlobalCheckpoint?> ApplyAsync(IProjection projection, GlobalCheckpoint from, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        using var activity = EventStore.EventStore.ActivitySource.StartActivity("projection.apply " + projection.Name);
        activity?.SetTag("customeraccess.projection", projection.Name);
        activity?.SetTag("customeraccess.event_count", events.Count);
        await using var connection = await store.Database.System.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(
            "select transaction_id::text, position from platform.subscription_checkpoints where name = $1 for update", connection, tx))
        {
            cmd.Parameters.AddWithValue(projection.Name);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false)) return null;
            var stored = new GlobalCheckpoint(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1));
            if (stored != from) return null;
        }
        await projection.ApplyAsync(new ProjectionBatch(events, connection, tx), ct).ConfigureAwait(false);
        var last = events[^1].Checkpoint;
        await using (var cmd = new NpgsqlCommand(
            "update platform.subscription_checkpoints set transaction_id = $2::text::xid8, position = $3, updated_at = now() where name = $1", connection, tx))
        {
            cmd.Parameters.AddWithValue(projection.Name);
            cmd.Parameters.AddWithValue(last.TransactionId.ToString(CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue(last.Position);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        LogBatch(logger, projection.Name, from.TransactionId, from.Position, events[0].TransactionId, events[0].Position, last.TransactionId, last.Position, events.Count);
        var tag = new KeyValuePair<string, object?>("projection", projection.Name);
        Projected.Add(events.Count, tag);
        Lag.Record((_time.GetUtcNow() - events[^1].RecordedAt).TotalMilliseconds, tag);
        return last;
    }

    private async Task<GlobalCheckpoint> LoadCheckpointAsync(string name, CancellationToken ct)
    {
        await using var cmd = store.Database.System.CreateCommand("""
            with created as (
              insert into platform.subscription_checkpoints (name) values ($1) on conflict (name) do nothing
              returning transaction_id::text, position)
            select * from created
            union all
            select transaction_id::text, position from platform.subscription_checkpoints where name = $1
            limit 1
            """);
        cmd.Parameters.AddWithValue(name);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new GlobalCheckpoint(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1));
    }

    /// <summary>
    /// Rebuilds a projection from position 0: in one transaction the projection clears its rows and
    /// the checkpoint goes back to the start. Whichever host leads it notices and replays everything.
    /// </summary>
    public async Task RebuildAsync(string name, CancellationToken ct = default)
    {
        var projection = _projections.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"No projection named '{name}'.");
        await using var connection = await store.Database.System.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("""
            insert into platform.subscription_checkpoints (name) values ($1)
            on conflict (name) do update set transaction_id = '0'::xid8, position = 0, updated_at = now()
            returning pg_notify('es_events', '')
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue(name);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await projection.ResetAsync(new ProjectionBatch([], connection, tx), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The type, and for PostgreSQL errors the SQL state and message (schema text, not data).</summary>
    internal static string Describe(Exception e) =>
        e is PostgresException p ? $"{e.GetType().FullName} {p.SqlState}: {p.MessageText}" : e.GetType().FullName ?? "exception";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Projected {Subscription} from {FromXid}/{FromPosition}: {FirstXid}/{FirstPosition}..{LastXid}/{LastPosition} ({Count})")]
    private static partial void LogBatch(ILogger logger, string subscription, ulong fromXid, long fromPosition, ulong firstXid, long firstPosition, ulong lastXid, long lastPosition, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leading subscription {Subscription}")]
    private static partial void LogLeading(ILogger logger, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subscription} lost its lease ({ExceptionType}); retrying")]
    private static partial void LogLeaseLost(ILogger logger, string subscription, string? exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subscription} batch failed ({ExceptionType}); retrying")]
    private static partial void LogBatchFailed(ILogger logger, string subscription, string? exceptionType);
}
