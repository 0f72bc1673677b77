using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Projections;
using CustomerAccess.Platform.Tests.Messaging;
using CustomerAccess.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Platform.Tests.Projections;

public class SubscriptionTests
{
    private TestDatabase _db = null!;
    private Platform.EventStore.EventStore _store = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _db = await TestDatabase.CreateAsync();
        _store = _db.CreateEventStore([typeof(SubscriptionTests).Assembly]);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private async Task<(long Rows, int MaxApplied)> CountsAsync(string table) =>
        (await TestSql.ScalarAsync<long>(_db, $"select count(*) from {table}"),
         await TestSql.ScalarAsync<int>(_db, $"select coalesce(max(applied), 0) from {table}"));

    private async Task<long> TotalEventsAsync() => await TestSql.ScalarAsync<long>(_db, "select count(*) from es.events");

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Test]
    public async Task A_subscription_killed_mid_stream_resumes_with_no_loss_and_no_double_effect()
    {
        var table = await CountingProjection.CreateTableAsync(_db);
        var name = Unique("resume");
        for (var i = 0; i < 30; i++) await TestSql.AppendAsync(_store, i % 2 == 0 ? "cheltenham" : "tewkesbury", 10);
        var total = await TotalEventsAsync();

        var slow = new CountingProjection(table, name) { DelayPerBatch = TimeSpan.FromMilliseconds(30) };
        await using (var first = await Workers.StartAsync(_db, s => s.AddProjection(slow)))
        {
            await Eventually.Until(async () => (await CountsAsync(table)).Rows >= 50, because: "the first host projects part of the log");
            await first.StopAsync(); // killed mid-stream: its open batch rolls back
        }
        var (afterKill, _) = await CountsAsync(table);
        Assert.That(afterKill, Is.LessThan(total), "the kill must land mid-stream for this test to mean anything");

        // A fresh host resumes from the checkpoint, fails one batch half way (rolled back), and
        // events keep arriving meanwhile.
        var resumed = new CountingProjection(table, name) { FailOnBatch = 3 };
        await using var second = await Workers.StartAsync(_db, s => s.AddProjection(resumed));
        for (var i = 0; i < 10; i++) await TestSql.AppendAsync(_store, "cheltenham", 10);
        total = await TotalEventsAsync();

        var (rows, maxApplied) = await Eventually.Until(() => CountsAsync(table), c => c.Rows == total, TimeSpan.FromSeconds(20));
        Assert.That(maxApplied, Is.EqualTo(1), "no event was applied twice");
        Assert.That(rows, Is.EqualTo(total), "no event was lost");
    }

    [Test]
    public async Task Rebuilding_from_zero_gives_the_same_read_model_as_live()
    {
        var table = await CountingProjection.CreateTableAsync(_db);
        var projection = new CountingProjection(table, Unique("rebuild"));
        await using var workers = await Workers.StartAsync(_db, s => s.AddProjection(projection));
        long last = 0;
        for (var i = 0; i < 20; i++) last = await TestSql.AppendAsync(_store, i % 3 == 0 ? "gloucester" : "cheltenham", 7);
        var waiter = workers.Services.GetRequiredService<ReadModelWaiter>();
        Assert.That(await waiter.WaitForAsync(last, TimeSpan.FromSeconds(10)), Is.True);
        var live = await SnapshotAsync(table);

        await workers.Subscriptions.RebuildAsync(projection.Name);
        Assert.That(projection.Resets, Is.EqualTo(1));
        Assert.That(await waiter.WaitForAsync(last, TimeSpan.FromSeconds(10)), Is.True);
        var rebuilt = await SnapshotAsync(table);

        Assert.That(rebuilt, Is.EqualTo(live));
        Assert.That(rebuilt, Has.Count.EqualTo(await TotalEventsAsync()));
    }

    [Test]
    public async Task Read_model_waiter_resolves_once_projected_and_gives_up_at_its_limit()
    {
        var table = await CountingProjection.CreateTableAsync(_db);
        var projection = new CountingProjection(table, Unique("waiter"));
        await using var workers = await Workers.StartAsync(_db, s => s.AddProjection(projection));
        var position = await TestSql.AppendAsync(_store, "cheltenham", 1);
        var waiter = workers.Services.GetRequiredService<ReadModelWaiter>();
        Assert.That(await waiter.WaitForAsync(position, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(await TestSql.ScalarAsync<long>(_db, $"select count(*) from {table} where position = $1", position), Is.EqualTo(1));

        await workers.StopAsync();
        var unprojected = await TestSql.AppendAsync(_store, "cheltenham", 1);
        Assert.That(await waiter.WaitForAsync(unprojected, TimeSpan.FromMilliseconds(300)), Is.False);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(await waiter.WaitForAsync(unprojected + 1_000_000, TimeSpan.FromSeconds(5)), Is.False);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "an unknown position is not waited for");
    }

    [Test]
    public async Task Of_two_hosts_exactly_one_leads_and_the_other_takes_over_when_it_dies()
    {
        var table = await CountingProjection.CreateTableAsync(_db);
        var name = Unique("lease");
        var a = await Workers.StartAsync(_db, s => s.AddProjection(new CountingProjection(table, name)));
        var b = await Workers.StartAsync(_db, s => s.AddProjection(new CountingProjection(table, name)));
        try
        {
            await Eventually.Until(() => Task.FromResult(a.Subscriptions.IsLeader(name) || b.Subscriptions.IsLeader(name)));
            Assert.That(a.Subscriptions.IsLeader(name) ^ b.Subscriptions.IsLeader(name), Is.True, "exactly one leader");
            // Still exactly one after a few lease retry intervals.
            await Eventually.Until(async () => (await CountsAsync(table)).Rows == await TotalEventsAsync(), TimeSpan.FromSeconds(20));
            Assert.That(a.Subscriptions.IsLeader(name) ^ b.Subscriptions.IsLeader(name), Is.True, "exactly one leader");

            var (leader, follower) = a.Subscriptions.IsLeader(name) ? (a, b) : (b, a);
            for (var i = 0; i < 10; i++) await TestSql.AppendAsync(_store, "cheltenham", 10);
            await leader.DisposeAsync(); // the holder dies: its lease connection closes
            for (var i = 0; i < 10; i++) await TestSql.AppendAsync(_store, "tewkesbury", 10);

            await Eventually.Until(() => Task.FromResult(follower.Subscriptions.IsLeader(name)), TimeSpan.FromSeconds(5),
                because: "the other host takes the lease within a few seconds");
            var total = await TotalEventsAsync();
            var (rows, maxApplied) = await Eventually.Until(() => CountsAsync(table), c => c.Rows == total, TimeSpan.FromSeconds(20));
            Assert.That(maxApplied, Is.EqualTo(1));
            Assert.That(rows, Is.EqualTo(total));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task A_leader_whose_connection_is_killed_loses_the_lease_and_the_work_continues_exactly_once()
    {
        var table = await CountingProjection.CreateTableAsync(_db);
        var name = Unique("killed");
        var a = await Workers.StartAsync(_db, s => s.AddProjection(new CountingProjection(table, name)));
        var b = await Workers.StartAsync(_db, s => s.AddProjection(new CountingProjection(table, name)));
        try
        {
            await Eventually.Until(() => Task.FromResult(a.Subscriptions.IsLeader(name) ^ b.Subscriptions.IsLeader(name)));
            // The lease holder's session is cut server-side, as if its host dropped off the network:
            // its lock goes at once; whichever host asks next (maybe the same one, reconnecting) leads.
            await TestSql.ScalarAsync<long>(_db, """
                select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
                                      where application_name = 'customeraccess-lease' and datname = current_database()) t
                """);
            for (var i = 0; i < 5; i++) await TestSql.AppendAsync(_store, "gloucester", 10);
            var total = await TotalEventsAsync();
            var (rows, maxApplied) = await Eventually.Until(() => CountsAsync(table), c => c.Rows == total, TimeSpan.FromSeconds(20));
            Assert.That((rows, maxApplied), Is.EqualTo((total, 1)));
            Assert.That(a.Subscriptions.IsLeader(name) ^ b.Subscriptions.IsLeader(name), Is.True, "exactly one leader again");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private async Task<List<string>> SnapshotAsync(string table)
    {
        await using var connection = await _db.OpenAdminAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"select tenant_id || ':' || event_id || ':' || position || ':' || applied from {table} order by position", connection);
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
