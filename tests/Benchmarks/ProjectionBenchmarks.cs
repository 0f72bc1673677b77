using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.PersonalData;
using CustomerAccess.Platform.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Benchmarks;

[EventType("bench.projected")]
public sealed record Projected(int N, string Note);

/// <summary>
/// Projection throughput and subscription lag on a scratch database of the given cluster:
/// 1. rebuild rate: N events already in the log, a projection rebuilt from 0 (events/s);
/// 2. lag: a steady append load; for each event, the time from its append's commit to the
///    moment the subscription projected it (p50/p99), woken by NOTIFY.
/// </summary>
public static class ProjectionBenchmarks
{
    private const int RebuildEvents = 100_000;
    private const int EventsPerAppend = 50;
    private const int LagAppendsPerSecond = 200;
    private static readonly TimeSpan LagDuration = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(string adminConnectionString)
    {
        var name = "ca_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecAsync(new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres" }.ConnectionString, $"create database {name}");
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        try
        {
            await new Migrator(admin, [typeof(EventStore).Assembly], NullLogger.Instance).MigrateAsync();
            await ExecAsync(admin, """
                create table public.bench_rows (tenant_id text not null, event_id uuid not null, stream_id text not null,
                  n int not null, position bigint not null, primary key (tenant_id, event_id));
                grant select, insert, update, delete, truncate on public.bench_rows to customeraccess_system;
                """);
            await using var db = new PlatformDatabase(admin);
            var registry = new EventTypeRegistry();
            registry.Register(typeof(Projected));
            var store = new EventStore(db, registry, PersonalDataProtector.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), []);

            Console.WriteLine($"PostgreSQL {await ScalarAsync(admin, "show server_version")}, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}");
            await RebuildRateAsync(db, store);
            await LagAsync(db, store);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres" }.ConnectionString, $"drop database if exists {name} with (force)");
        }
    }

    private static async Task RebuildRateAsync(PlatformDatabase db, EventStore store)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, RebuildEvents / EventsPerAppend, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var session = await store.OpenSessionAsync(Tenant(i), new EventContext { Actor = "bench" }, ct);
            await session.AppendAsync("s-" + i, ExpectedVersion.NoStream,
                Enumerable.Range(0, EventsPerAppend).Select(n => (object)new Projected(n, "note " + n)).ToList(), ct: ct);
            await session.CommitAsync(ct);
        });
        Console.WriteLine($"seeded {RebuildEvents:N0} events in {clock.Elapsed.TotalSeconds:0.0} s ({RebuildEvents / clock.Elapsed.TotalSeconds:N0} events/s appended, 8 writers, {EventsPerAppend}/append)");

        var projection = new RowPerEventProjection("bench-rebuild");
        await using var workers = await StartAsync(db, store, projection);
        var runner = workers.GetRequiredService<SubscriptionRunner>();
        var last = await LastPositionAsync(db);
        var waiter = workers.GetRequiredService<ReadModelWaiter>();
        if (!await waiter.WaitForAsync(last, TimeSpan.FromMinutes(5))) throw new TimeoutException("live projection did not catch up");

        clock.Restart();
        await runner.RebuildAsync(projection.Name);
        if (!await waiter.WaitForAsync(last, TimeSpan.FromMinutes(5))) throw new TimeoutException("rebuild did not finish");
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"rebuild from 0: {RebuildEvents:N0} events in {seconds:0.00} s = {RebuildEvents / seconds:N0} events/s (batch {new MessagingOptions().SubscriptionBatchSize}, one row per event)");
        await StopAsync(workers);
    }

    private static async Task LagAsync(PlatformDatabase db, EventStore store)
    {
        var projection = new RowPerEventProjection("bench-lag");
        var workers = await StartAsync(db, store, projection);
        var waiter = workers.GetRequiredService<ReadModelWaiter>();
        await waiter.WaitForAsync(await LastPositionAsync(db), TimeSpan.FromMinutes(5)); // catch up on the seed first
        projection.Seen.Clear();

        var committedAt = new ConcurrentDictionary<long, long>();
        var total = (int)(LagAppendsPerSecond * LagDuration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / LagAppendsPerSecond);
        var start = Stopwatch.GetTimestamp();
        var writers = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            // Open-loop schedule: the i-th append starts at i * interval, whatever the others do.
            var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var n = i;
            writers.Add(Task.Run(async () =>
            {
                await using var session = await store.OpenSessionAsync(Tenant(n), new EventContext { Actor = "bench" });
                await session.AppendAsync("lag-" + n, ExpectedVersion.NoStream, [new Projected(n, "lag")]);
                var position = (await session.CommitAsync())!.Value;
                committedAt[position] = Stopwatch.GetTimestamp();
            }));
        }
        await Task.WhenAll(writers);
        await waiter.WaitForAsync(committedAt.Keys.Max(), TimeSpan.FromMinutes(1));
        await StopAsync(workers);

        var lags = committedAt.Select(c => projection.Seen.TryGetValue(c.Key, out var seen) ? Stopwatch.GetElapsedTime(c.Value, seen).TotalMilliseconds : double.NaN)
            .Where(l => !double.IsNaN(l)).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lag append-commit -> projected under {LagAppendsPerSecond} appends/s for {LagDuration.TotalSeconds:0} s ({lags.Length} events): " +
            $"p50 {Percentile(lags, 0.50):0.0} ms, p90 {Percentile(lags, 0.90):0.0} ms, p99 {Percentile(lags, 0.99):0.0} ms, max {lags[^1]:0.0} ms"));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Tenant(int i) => (i % 3) switch { 0 => "cheltenham", 1 => "tewkesbury", _ => "gloucester" };

    private static async Task<ServiceProvider> StartAsync(PlatformDatabase db, EventStore store, IProjection projection)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(db);
        services.AddSingleton(store);
        services.AddCustomerAccessMessaging([]);
        services.AddProjection(projection);
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        return provider;
    }

    private static async Task StopAsync(ServiceProvider provider)
    {
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
    }

    private static async Task<long> LastPositionAsync(PlatformDatabase db)
    {
        await using var cmd = db.System.CreateCommand("select max(position) from es.events");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>One row per event, written with one statement per batch (unnest), and the time each position was seen.</summary>
    private sealed class RowPerEventProjection(string name) : IProjection
    {
        public string Name { get; } = name;
        public ConcurrentDictionary<long, long> Seen { get; } = new();

        public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
        {
            await using var cmd = batch.Command("""
                insert into public.bench_rows (tenant_id, event_id, stream_id, n, position)
                select * from unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::bigint[])
                on conflict do nothing
                """);
            cmd.Parameters.AddWithValue(batch.Events.Select(e => e.Tenant).ToArray());
            cmd.Parameters.AddWithValue(batch.Events.Select(e => e.EventId).ToArray());
            cmd.Parameters.AddWithValue(batch.Events.Select(e => e.StreamId).ToArray());
            cmd.Parameters.AddWithValue(batch.Events.Select(e => ((Projected)e.Data).N).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter { Value = batch.Events.Select(e => e.Position).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await cmd.ExecuteNonQueryAsync(ct);
            // Seen at apply time, just before the checkpoint commits (the commit adds ~1 ms).
            var now = Stopwatch.GetTimestamp();
            foreach (var e in batch.Events) Seen[e.Position] = now;
        }

        public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
        {
            await using var cmd = batch.Command("truncate public.bench_rows");
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
