using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.PersonalData;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerAccess.Benchmarks;

[EventType("bench.something-happened")]
public sealed record SomethingHappened(string What, int N);

/// <summary>
/// Measures the event store on the cluster named by the first argument (a superuser connection
/// string without a database). Commands:
///   setup                       create and migrate the ca_bench database
///   append WRITERS SECONDS [session]
///                               single-event transactions, WRITERS in parallel: through the store's
///                               own-transaction append (EventStore.AppendAsync), or with "session"
///                               through EventSession (open, append, commit)
///   serve                       the same measurements in one warm process, one request per line
///                               on stdin ("append 4 10 [session]"), each answered by a line DONE
///   read MIN_EVENTS BATCH       top the log up to MIN_EVENTS, then read it all with one reader
///   projections                 projection rebuild rate and append-to-projected lag (own database)
/// Each measurement ends with a line "RESULT name value unit" that run.sh collects.
/// </summary>
public static class Program
{
    private const string Database = "ca_bench";
    private const string Tenant = "bench-council";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: CustomerAccess.Benchmarks CLUSTER_CONNECTION_STRING setup | append WRITERS SECONDS | read MIN_EVENTS BATCH | projections | customers [CUSTOMERS EVENTS SAMPLES]");
            return 2;
        }
        var cluster = args[0];
        var admin = new NpgsqlConnectionStringBuilder(cluster) { Database = Database }.ConnectionString;
        switch (args[1])
        {
            case "setup":
                await SetupAsync(cluster, admin);
                return 0;
            case "append":
                await AppendAsync(admin, int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
                    args.Length > 4 && args[4] == "session");
                return 0;
            case "serve":
                // One warm process for every append measurement of a run (run.sh): reads
                // "append WRITERS SECONDS [session]" lines on stdin, answers each with its output
                // and a line "DONE". The JIT's work is then paid once, not once per measurement.
                while (await Console.In.ReadLineAsync() is { } line)
                {
                    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words is ["append", var w, var secs, .. var rest])
                        await AppendAsync(admin, int.Parse(w, CultureInfo.InvariantCulture), int.Parse(secs, CultureInfo.InvariantCulture), rest is ["session"]);
                    else if (words.Length > 0)
                        Console.WriteLine($"unknown request: {line}");
                    Console.WriteLine("DONE");
                }
                return 0;
            case "profile":
                await ProfileAsync(admin, int.Parse(args[2], CultureInfo.InvariantCulture));
                return 0;
            case "customers":
                // Search and timeline reads at scale (docs/benchmarks.md, "Customer reads").
                await CustomerReadBenchmarks.RunAsync(cluster, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000,
                    args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2_000_000, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 500);
                return 0;
            case "projections":
                // Projection rebuild rate and append-to-projected lag (docs/benchmarks-projections.md).
                await ProjectionBenchmarks.RunAsync(cluster);
                return 0;
            case "read":
                await ReadAsync(admin, int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown command {args[1]}");
                return 2;
        }
    }

    private static async Task SetupAsync(string cluster, string admin)
    {
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"drop database if exists {Database} with (force); create database {Database}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        await new Migrator(admin, [typeof(EventStore).Assembly], NullLogger.Instance).MigrateAsync();
        Console.WriteLine($"created and migrated {Database}");
    }

    private static EventStore CreateStore(PlatformDatabase database)
    {
        var registry = new EventTypeRegistry();
        registry.Register(typeof(SomethingHappened));
        return new EventStore(database, registry, new PersonalDataProtector(RandomNumberGenerator.GetBytes(32)), []);
    }

    private static async Task AppendAsync(string admin, int writers, int seconds, bool session)
    {
        var name = session ? "session_append" : "store_append";
        await using var database = new PlatformDatabase(admin);
        var store = CreateStore(database);
        var context = new EventContext { Actor = "bench", Channel = "bench" };
        var run = Guid.NewGuid().ToString("N")[..8];
        var counts = new long[writers];
        var failures = 0L;

        using var stop = new CancellationTokenSource();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var stream = $"bench-{run}-{w}";
            long version = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await AppendOneAsync(store, context, stream, version, (int)version, session);
                    version++;
                    Interlocked.Increment(ref counts[w]);
                }
                catch (ConcurrencyException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        // The writers run until the JIT has gone quiet before the timed window: tiered compilation
        // recompiles the hot paths in the background, and on 2 cores shared with the server that
        // took 15-20 s and a third of the client's CPU (perf: the ".NET Tiered Com" thread), well
        // past a fixed 3 s warm-up. The host is a long-running process, so the steady state is the
        // figure that matters.
        await WarmUp.UntilJitQuietAsync($"{name.Replace('_', ' ')}, {writers} writer(s)", () => counts.Sum());
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var start = counts.Sum();
        var deadline = TimeSpan.FromSeconds(seconds);
        var lastTotal = start;
        var lastAt = TimeSpan.Zero;
        long end;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, Math.Max(0.05, (deadline - clock.Elapsed).TotalSeconds))));
            var total = counts.Sum();
            var at = clock.Elapsed;
            Console.WriteLine($"  {name.Replace('_', ' ')}, {writers} writer(s): {at.TotalSeconds,5:0.0}s {total - start,8} events ({(total - lastTotal) / (at - lastAt).TotalSeconds,8:0}/s recent)");
            lastTotal = total;
            lastAt = at;
            if (at >= deadline)
            {
                end = total;
                break;
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        var events = end - start;
        var allocatedBytes = GC.GetTotalAllocatedBytes() - allocated;
        var gen0 = GC.CollectionCount(0) - collections;
        Console.WriteLine($"  client CPU: {cpuUs / Math.Max(1, events):0} µs per event; allocated {allocatedBytes / Math.Max(1, events):0} bytes per event; {gen0} gen0 collections");
        if (failures > 0) Console.WriteLine($"  unexpected concurrency conflicts: {failures}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {name}_{writers} {events / elapsed:0} events/s"));
    }

    /// <summary>
    /// The same global-log query read with a bare NpgsqlDataReader (columns as strings, nothing
    /// deserialised): what the store's read costs before its own work.
    /// </summary>
    private static async Task RawReadAsync(PlatformDatabase database, int batch, TimeSpan? warmUpFor = null)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        string xid = "0";
        long position = 0, read = 0;
        while (true)
        {
            await using var connection = await database.System.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("""
                select position, transaction_id::text as transaction_id_text, tenant_id, stream_id, stream_version, event_id, event_type,
                       schema_version, data::text, metadata::text, occurred_at, recorded_at
                from es.events e
                where (e.transaction_id, e.position) > ($1::text::xid8, $2)
                  and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                order by e.transaction_id, e.position
                limit $3
                """, connection);
            cmd.Parameters.AddWithValue(xid);
            cmd.Parameters.AddWithValue(position);
            cmd.Parameters.AddWithValue(batch);
            var rows = 0;
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    position = reader.GetInt64(0);
                    xid = reader.GetString(1);
                    _ = reader.GetString(8);
                    _ = reader.GetString(9);
                    rows++;
                }
            }
            if (rows == 0) break;
            read += rows;
            if (warmUpFor is { } limit && clock.Elapsed > limit) return;
        }
        if (warmUpFor is not null) return;
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        Console.WriteLine($"  raw query, no deserialisation: {read} rows in {elapsed:0.00}s, client CPU {cpuUs / Math.Max(1, read):0.0} µs per row");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT raw_read {read / elapsed:0} rows/s"));
    }

    /// <summary>Where one writer's time goes: open (begin + council), append, commit.</summary>
    private static async Task ProfileAsync(string admin, int iterations)
    {
        await using var database = new PlatformDatabase(admin);
        var store = CreateStore(database);
        var context = new EventContext { Actor = "bench", Channel = "bench" };
        var stream = "profile-" + Guid.NewGuid().ToString("N")[..8];
        double open = 0, append = 0, commit = 0, dispose = 0;
        for (var i = 0; i < iterations; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var session = await store.OpenSessionAsync(Tenant, context);
            var t1 = Stopwatch.GetTimestamp();
            await session.AppendAsync(stream, i, [new SomethingHappened("profile", i)]);
            var t2 = Stopwatch.GetTimestamp();
            await session.CommitAsync();
            var t3 = Stopwatch.GetTimestamp();
            await session.DisposeAsync();
            var t4 = Stopwatch.GetTimestamp();
            if (i < iterations / 10) continue;
            open += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            append += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            commit += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
            dispose += Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds;
        }
        var n = iterations - iterations / 10;
        await using (var c = await database.App.OpenConnectionAsync())
        {
            await using var one = new NpgsqlCommand("select 1", c);
            for (var i = 0; i < 100; i++) await one.ExecuteScalarAsync();
            var r0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++) await one.ExecuteScalarAsync();
            Console.WriteLine($"  'select 1' round trip: {Stopwatch.GetElapsedTime(r0).TotalMilliseconds / iterations:0.000} ms");
        }
        Console.WriteLine($"  per transaction (ms): open {open / n:0.000}, append {append / n:0.000}, commit {commit / n:0.000}, dispose {dispose / n:0.000}");
    }

    private static async Task AppendOneAsync(EventStore store, EventContext context, string stream, long expected, int n, bool inSession)
    {
        if (!inSession)
        {
            await store.AppendAsync(Tenant, context, stream, expected, [new SomethingHappened("benchmark", n)]);
            return;
        }
        await using var session = await store.OpenSessionAsync(Tenant, context);
        await session.AppendAsync(stream, expected, [new SomethingHappened("benchmark", n)]);
        await session.CommitAsync();
    }

    private static async Task ReadAsync(string admin, int minEvents, int batch)
    {
        await using var database = new PlatformDatabase(admin);
        var store = CreateStore(database);
        long existing;
        await using (var cmd = database.System.CreateCommand("select count(*) from es.events"))
            existing = (long)(await cmd.ExecuteScalarAsync())!;
        if (existing < minEvents)
        {
            Console.WriteLine($"  topping the log up from {existing} to {minEvents} events (10 per write, each write its own context)");
            var fill = Stopwatch.StartNew();
            var run = Guid.NewGuid().ToString("N")[..8];
            var writes = (int)Math.Ceiling((minEvents - existing) / 10.0);
            var done = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, writes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, ct) =>
            {
                var writeContext = new EventContext { Actor = "bench", Channel = "bench", CausationId = Guid.NewGuid() };
                await using var session = await store.OpenSessionAsync(Tenant, writeContext, ct);
                await session.AppendAsync($"fill-{run}-{s}", ExpectedVersion.NoStream,
                    Enumerable.Range(0, 10).Select(i => (object)new SomethingHappened("fill", i)).ToList(), ct: ct);
                await session.CommitAsync(ct);
                var d = Interlocked.Increment(ref done);
                if (d % 2500 == 0) Console.WriteLine($"  filled {d * 10} events in {fill.Elapsed.TotalSeconds:0.0}s");
            });
        }

        await using (var cmd = database.System.CreateCommand("vacuum analyze es.events"))
            await cmd.ExecuteNonQueryAsync();

        // Read the log over and over until the JIT is quiet, as the writers do before theirs.
        using (var warm = new CancellationTokenSource())
        {
            long warmRead = 0;
            var reading = Task.Run(async () =>
            {
                var at = GlobalCheckpoint.Start;
                while (!warm.IsCancellationRequested)
                {
                    // The bare read too, each time round the log.
                    if (at == GlobalCheckpoint.Start) await RawReadAsync(database, batch, TimeSpan.FromSeconds(0.5));
                    var events = await store.ReadAllAsync(at, batch);
                    at = events.Count == 0 ? GlobalCheckpoint.Start : events[^1].Checkpoint;
                    Interlocked.Add(ref warmRead, events.Count);
                }
            });
            await WarmUp.UntilJitQuietAsync("global read", () => Interlocked.Read(ref warmRead));
            await warm.CancelAsync();
            await reading;
        }

        await RawReadAsync(database, batch);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var checkpoint = GlobalCheckpoint.Start;
        long read = 0;
        var nextReport = TimeSpan.FromSeconds(1);
        while (true)
        {
            var events = await store.ReadAllAsync(checkpoint, batch);
            if (events.Count == 0) break;
            read += events.Count;
            checkpoint = events[^1].Checkpoint;
            if (clock.Elapsed > nextReport)
            {
                Console.WriteLine($"  global read: {clock.Elapsed.TotalSeconds,5:0.0}s {read,8} events ({read / clock.Elapsed.TotalSeconds:0}/s)");
                nextReport += TimeSpan.FromSeconds(1);
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        Console.WriteLine($"  read {read} events in {elapsed:0.00}s, batches of {batch}, client CPU {cpuUs / Math.Max(1, read):0.0} µs per event");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT store_read {read / elapsed:0} events/s"));
    }
}
