using System.Collections.Concurrent;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.EventStore;

[EventType("test.log-entry-written")]
public sealed record LogEntryWritten(int Writer, int Sequence);

/// <summary>
/// The global log read from a (transaction id, position) checkpoint: a reader that keeps up with
/// concurrent writers sees every committed event exactly once, late commits included, and never
/// sees a rolled-back one.
/// </summary>
public class GlobalLogTests : EventStoreFixture
{
    [Test]
    public async Task An_event_committed_after_a_higher_position_is_read_after_it_not_skipped()
    {
        var tenant = NewTenant();
        var start = await CaughtUpCheckpointAsync(tenant);

        await using var slow = await Store.OpenSessionAsync(tenant, Advisor);
        var early = (await slow.AppendAsync(NewStream(), ExpectedVersion.NoStream, [new LogEntryWritten(1, 1)]))[0];
        var late = (await AppendCommittedAsync(tenant, NewStream(), ExpectedVersion.NoStream, [new LogEntryWritten(2, 1)]))[0];
        Assert.That(late.Position, Is.GreaterThan(early.Position));

        // While the lower position is uncommitted the reader must not move past it.
        var whileOpen = await ReadAllOfTenantAsync(start, tenant);
        Assert.That(whileOpen.Events, Is.Empty, "a reader must not pass a transaction that is still running");

        await slow.CommitAsync();
        var afterCommit = await ReadAllOfTenantAsync(whileOpen.Checkpoint, tenant);
        Assert.That(afterCommit.Events.Select(e => e.EventId), Is.EqualTo(new[] { early.EventId, late.EventId }));
    }

    [Test]
    public async Task A_reader_racing_eight_writers_sees_every_committed_event_exactly_once_and_no_rolled_back_one()
    {
        var tenant = NewTenant();
        var startAt = await CaughtUpCheckpointAsync(tenant);
        var committed = new ConcurrentBag<Guid>();
        var rolledBack = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task? fastWriters = null;

        // Fast writers: many short transactions, some of several events.
        async Task FastWriter(int writer)
        {
            var stream = NewStream("fast");
            for (var i = 0; i < 40; i++)
            {
                var events = Enumerable.Range(0, 1 + i % 3).Select(k => (object)new LogEntryWritten(writer, i * 10 + k)).ToList();
                var stored = await AppendCommittedAsync(tenant, stream, ExpectedVersion.Any, events);
                foreach (var e in stored) committed.Add(e.EventId);
            }
        }

        // Slow writers: append, then keep the transaction open until a higher position has
        // committed, so the log's position order and commit order disagree.
        async Task SlowWriter(int writer)
        {
            for (var i = 0; i < 6; i++)
            {
                await using var session = await Store.OpenSessionAsync(tenant, Advisor);
                var mine = await session.AppendAsync(NewStream("slow"), ExpectedVersion.NoStream, [new LogEntryWritten(writer, i)]);
                await Eventually.Until(() => ScalarAsAdminAsync<long>(
                        "select coalesce(max(position), 0) from es.events where tenant_id = $1", tenant),
                    max => max > mine[^1].Position || fastWriters!.IsCompleted, TimeSpan.FromSeconds(20), "another writer should commit a higher position");
                await session.CommitAsync();
                foreach (var e in mine) committed.Add(e.EventId);
            }
        }

        // Rolled-back writers: append and dispose without committing.
        async Task RollbackWriter(int writer)
        {
            for (var i = 0; i < 20; i++)
            {
                await using var session = await Store.OpenSessionAsync(tenant, Advisor);
                var stored = await session.AppendAsync(NewStream("rolled-back"), ExpectedVersion.NoStream, [new LogEntryWritten(writer, i)]);
                foreach (var e in stored) rolledBack.Add(e.EventId);
            }
        }

        fastWriters = Task.WhenAll(Enumerable.Range(0, 5).Select(w => Task.Run(() => FastWriter(w))));
        var writers = Task.WhenAll(fastWriters,
            Task.Run(() => SlowWriter(5)), Task.Run(() => SlowWriter(6)), Task.Run(() => RollbackWriter(7)));

        var seen = new List<StoredEvent>();
        var checkpoint = startAt;
        var readsWhileWriting = 0;
        while (!writers.IsCompleted)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 25, stop.Token);
            seen.AddRange(batch.Where(e => e.Tenant == tenant));
            if (batch.Count > 0) checkpoint = batch[^1].Checkpoint;
            readsWhileWriting++;
        }
        await writers;
        // Drain what was committed after the last read.
        while (true)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 25, stop.Token);
            if (batch.Count == 0) break;
            seen.AddRange(batch.Where(e => e.Tenant == tenant));
            checkpoint = batch[^1].Checkpoint;
        }

        Assert.That(readsWhileWriting, Is.GreaterThan(1), "the reader should have raced the writers");
        var seenIds = seen.Select(e => e.EventId).ToList();
        var duplicates = seen.GroupBy(e => e.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key} at {g.First().Checkpoint}");
        var missed = committed.Except(seenIds);
        Assert.Multiple(() =>
        {
            Assert.That(seenIds, Is.Unique, "no event may be read twice: " + string.Join(", ", duplicates));
            Assert.That(missed, Is.Empty, "every committed event must be read");
            Assert.That(seenIds, Is.EquivalentTo(committed), "only committed events may be read");
            Assert.That(seenIds.Intersect(rolledBack), Is.Empty, "rolled-back events must never be read");
        });
    }

    [Test]
    public async Task The_log_is_in_numeric_transaction_order_where_transaction_ids_gain_a_digit()
    {
        // Transaction ids are compared as numbers: reading across 9999 -> 10000 must neither repeat
        // nor skip events (ordering by the id's text once did both).
        var tenant = NewTenant();
        var start = await CaughtUpCheckpointAsync(tenant);
        var next = ulong.Parse((await ScalarAsAdminAsync<string>("select pg_current_xact_id()::text"))!, System.Globalization.CultureInfo.InvariantCulture);
        var boundary = 10UL;
        while (boundary <= next + 3) boundary *= 10;
        if (boundary - next > 300_000) Assert.Ignore($"transaction id {next} is too far from {boundary} to reach quickly");
        await ExecuteAsAdminAsync($"do $$ begin for i in 1..{boundary - next - 4} loop perform pg_current_xact_id(); commit; end loop; end $$");

        var appended = new List<StoredEvent>();
        for (var i = 0; i < 6; i++)
            appended.AddRange(await AppendCommittedAsync(tenant, NewStream(), ExpectedVersion.NoStream, [new LogEntryWritten(0, i)]));
        Assume.That(appended[0].TransactionId, Is.LessThan(boundary));
        Assume.That(appended[^1].TransactionId, Is.GreaterThanOrEqualTo(boundary));

        var seen = new List<StoredEvent>();
        var checkpoint = start;
        while (true)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 2);
            if (batch.Count == 0) break;
            Assert.That(seen.Count, Is.LessThan(100), "the reader is going round in circles");
            seen.AddRange(batch.Where(e => e.Tenant == tenant));
            checkpoint = batch[^1].Checkpoint;
        }
        Assert.That(seen.Select(e => e.EventId), Is.EqualTo(appended.Select(e => e.EventId)));
    }

    [Test]
    public async Task Reading_in_small_batches_follows_the_checkpoint_order()
    {
        var tenant = NewTenant();
        var start = await CaughtUpCheckpointAsync(tenant);
        var stored = await AppendCommittedAsync(tenant, NewStream(), ExpectedVersion.NoStream,
            Enumerable.Range(0, 7).Select(i => (object)new LogEntryWritten(0, i)).ToList());

        var seen = new List<StoredEvent>();
        var checkpoint = start;
        while (true)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 2);
            if (batch.Count == 0) break;
            Assert.That(batch, Has.Count.LessThanOrEqualTo(2));
            Assert.That(batch[0].Checkpoint, Is.GreaterThan(checkpoint));
            seen.AddRange(batch.Where(e => e.Tenant == tenant));
            checkpoint = batch[^1].Checkpoint;
        }

        Assert.That(seen.Select(e => e.EventId), Is.EqualTo(stored.Select(e => e.EventId)));
        Assert.That(seen.Select(e => e.Checkpoint), Is.Ordered);
    }

    private async Task<GlobalCheckpoint> CaughtUpCheckpointAsync(string tenant)
    {
        var checkpoint = GlobalCheckpoint.Start;
        while (true)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 1000);
            if (batch.Count == 0) return checkpoint;
            Assert.That(batch.Where(e => e.Tenant == tenant), Is.Empty);
            checkpoint = batch[^1].Checkpoint;
        }
    }

    private async Task<(List<StoredEvent> Events, GlobalCheckpoint Checkpoint)> ReadAllOfTenantAsync(GlobalCheckpoint from, string tenant)
    {
        var events = new List<StoredEvent>();
        var checkpoint = from;
        while (true)
        {
            var batch = await Store.ReadAllAsync(checkpoint, 100);
            if (batch.Count == 0) return (events, checkpoint);
            events.AddRange(batch.Where(e => e.Tenant == tenant));
            checkpoint = batch[^1].Checkpoint;
        }
    }
}
