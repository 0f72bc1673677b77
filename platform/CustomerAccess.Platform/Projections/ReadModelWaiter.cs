using System.Diagnostics;
using System.Globalization;

namespace CustomerAccess.Platform.Projections;

/// <summary>
/// Read-your-writes for asynchronous read models: waits until every registered projection has
/// passed a global position (as returned in X-Event-Position), or a time limit.
/// </summary>
public sealed class ReadModelWaiter(EventStore.EventStore store, IEnumerable<IProjection> projections)
{
    private readonly string[] _names = projections.Select(p => p.Name).Distinct().ToArray();

    /// <summary>True when every projection has reached <paramref name="position"/>; false at the time limit or for an unknown position.</summary>
    public async Task<bool> WaitForAsync(long position, TimeSpan max, CancellationToken ct = default)
    {
        if (_names.Length == 0) return true;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        // A position handed to a client was committed before it was handed out, so it resolves at
        // once; one that does not exist is not worth waiting for (and must not hold a request 5 s).
        if (await store.CheckpointOfAsync(position, ct).ConfigureAwait(false) is not { } target) return false;
        while (true)
        {
            if (await AllReachedAsync(target, ct).ConfigureAwait(false)) return true;
            if (clock.Elapsed + delay > max) return false;
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private async Task<bool> AllReachedAsync(EventStore.GlobalCheckpoint target, CancellationToken ct)
    {
        await using var cmd = store.Database.System.CreateCommand("""
            select count(*) from platform.subscription_checkpoints
            where name = any($1) and (transaction_id, position) >= ($2::text::xid8, $3)
            """);
        cmd.Parameters.AddWithValue(_names);
        cmd.Parameters.AddWithValue(target.TransactionId.ToString(CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue(target.Position);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))! == _names.Length;
    }
}
