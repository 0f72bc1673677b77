using System.Collections.Concurrent;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Platform.Tests.Messaging;

[MessageType("platform-test.ping")]
public sealed record Ping(string Note);

[MessageType("platform-test.doomed")]
public sealed record Doomed(int N);

[EventType("platform-test.pinged")]
public sealed record Pinged(Guid MessageId);

/// <summary>Records every delivery and appends an event through the handler's session.</summary>
internal sealed class PingRecorder : IMessageHandler<Ping>
{
    public ConcurrentBag<(Guid MessageId, Guid? Causation, string Tenant)> Calls { get; } = [];

    public async Task HandleAsync(Ping message, MessageContext context, CancellationToken ct)
    {
        await context.Session.AppendAsync("pinged-" + context.MessageId, ExpectedVersion.NoStream, [new Pinged(context.MessageId)], ct: ct);
        Calls.Add((context.MessageId, context.Session.Context.CausationId, context.Tenant));
    }
}

internal sealed class AlwaysFails : IMessageHandler<Doomed>
{
    public int Calls;

    public Task HandleAsync(Doomed message, MessageContext context, CancellationToken ct)
    {
        Interlocked.Increment(ref Calls);
        throw new InvalidOperationException("the downstream service said no");
    }
}

public class OutboxTests
{
    private TestDatabase _db = null!;
    private Platform.EventStore.EventStore _store = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _db = await TestDatabase.CreateAsync();
        _store = _db.CreateEventStore([typeof(OutboxTests).Assembly]);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private async Task<Guid> SendAsync(object message, string tenant = "cheltenham")
    {
        await using var session = await _store.OpenSessionAsync(tenant, new EventContext { Actor = "test" });
        await session.AppendAsync("sender-" + Guid.NewGuid(), ExpectedVersion.NoStream, [new Counted(1)]);
        var id = await session.SendAsync(message);
        await session.CommitAsync();
        return id;
    }

    [Test]
    public async Task A_message_committed_while_no_dispatcher_ran_is_delivered_once_when_one_starts()
    {
        // "Crash between commit and send": the message is committed with the events, nobody is running.
        var id = await SendAsync(new Ping("hello"));
        Assert.That(await TestSql.ScalarAsync<long>(_db, "select count(*) from platform.outbox where message_id = $1", id), Is.EqualTo(1));

        var recorder = new PingRecorder();
        await using var workers = await Workers.StartAsync(_db, s => s.AddMessageHandler<Ping>(recorder));
        await Eventually.Until(() => Task.FromResult(recorder.Calls.Any(c => c.MessageId == id)));
        await Eventually.Until(async () => await TestSql.ScalarAsync<long>(_db, "select count(*) from platform.outbox where message_id = $1", id) == 0);

        var call = recorder.Calls.Single(c => c.MessageId == id);
        Assert.That(call.Tenant, Is.EqualTo("cheltenham"));
        Assert.That(call.Causation, Is.EqualTo(id), "events the handler appends name the message as their cause");
        Assert.That(await TestSql.ScalarAsync<string>(_db, "select metadata->>'causationId' from es.events where stream_id = $1", "pinged-" + id),
            Is.EqualTo(id.ToString()));

        // Redelivery (say the host died after the handler committed, before the outbox row went):
        // the inbox makes it a no-op.
        await TestSql.ExecAsAdminAsync(_db,
            "insert into platform.outbox (tenant_id, message_id, message_type, payload) values ('cheltenham', '" + id + "', 'platform-test.ping', '{\"note\":\"hello\"}')");
        await Eventually.Until(async () => await TestSql.ScalarAsync<long>(_db, "select count(*) from platform.outbox where message_id = $1", id) == 0);
        Assert.That(recorder.Calls.Count(c => c.MessageId == id), Is.EqualTo(1));
        Assert.That(await TestSql.ScalarAsync<long>(_db, "select count(*) from es.events where stream_id = $1", "pinged-" + id), Is.EqualTo(1));
    }

    [Test]
    public async Task A_rolled_back_session_sends_nothing()
    {
        Guid id;
        await using (var session = await _store.OpenSessionAsync("cheltenham", new EventContext { Actor = "test" }))
        {
            id = await session.SendAsync(new Ping("never"));
        }
        Assert.That(await TestSql.ScalarAsync<long>(_db, "select count(*) from platform.outbox where message_id = $1", id), Is.Zero);
    }

    [Test]
    public async Task A_failing_handler_is_retried_with_backoff_then_dead_lettered_with_its_error()
    {
        var handler = new AlwaysFails();
        await using var workers = await Workers.StartAsync(_db, s => s.AddMessageHandler<Doomed>(handler), o => o.MaxAttempts = 3);
        var id = await SendAsync(new Doomed(7), "tewkesbury");

        var error = await Eventually.Until(
            async () => await TestSql.ScalarAsync<object>(_db, "select coalesce((select error from platform.dead_letters where message_id = $1), '')", id) as string,
            e => !string.IsNullOrEmpty(e), TimeSpan.FromSeconds(20), "three failed attempts park the message");
        Assert.That(error, Does.Contain("System.InvalidOperationException: the downstream service said no"));
        Assert.That(handler.Calls, Is.EqualTo(3));
        Assert.That(await TestSql.ScalarAsync<int>(_db, "select attempts from platform.dead_letters where message_id = $1", id), Is.EqualTo(3));
        Assert.That(await TestSql.ScalarAsync<long>(_db, "select count(*) from platform.outbox where message_id = $1", id), Is.Zero);

        var deadLetters = workers.Services.GetRequiredService<DeadLetters>();
        var parked = (await deadLetters.ListAsync()).Single(d => d.MessageId == id);
        Assert.That(parked.Tenant, Is.EqualTo("tewkesbury"));
        Assert.That(await deadLetters.RetryAsync(parked.Id), Is.True);
        Assert.That(await deadLetters.RetryAsync(parked.Id), Is.False, "a dead letter is sent back once");
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref handler.Calls) >= 4), because: "the retried message is delivered again");
    }
}
