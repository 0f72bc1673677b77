using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.EventStore;

[EventType("test.counter-incremented")]
public sealed record CounterIncremented(int By);

/// <summary>Optimistic concurrency: a stream changes only from the version its writer saw.</summary>
public class ConcurrencyTests : EventStoreFixture
{
    private const string Tenant = "cheltenham";

    [Test]
    public async Task Of_two_sessions_racing_on_the_same_expected_version_the_first_to_commit_wins_and_the_other_conflicts()
    {
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);

        await using var first = await Store.OpenSessionAsync(Tenant, Advisor);
        await using var second = await Store.OpenSessionAsync(Tenant, Advisor);
        await first.AppendAsync(stream, 1, [new CounterIncremented(10)]);
        var waiters = await LockWaitersAsync();
        var secondAppend = second.AppendAsync(stream, 1, [new CounterIncremented(20)]);
        // The second append must wait for the first transaction rather than both passing the check.
        await Eventually.Until(async () => await LockWaitersAsync() > waiters || secondAppend.IsCompleted, because: "the second append should block");
        await first.CommitAsync();

        Assert.ThrowsAsync<ConcurrencyException>(async () => await secondAppend);
        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 1, 10 }));
    }

    [Test]
    public async Task When_many_sessions_race_on_one_expected_version_exactly_one_wins_every_round()
    {
        var stream = NewStream();
        const int racers = 8;
        const int rounds = 5;
        for (var round = 0; round < rounds; round++)
        {
            var expected = round == 0 ? ExpectedVersion.NoStream : round;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, racers).Select(async racer =>
            {
                await using var session = await Store.OpenSessionAsync(Tenant, Advisor);
                await start.Task;
                try
                {
                    await session.AppendAsync(stream, expected, [new CounterIncremented(racer)]);
                    await session.CommitAsync();
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            }).ToList();
            start.SetResult();
            var outcomes = await Task.WhenAll(attempts);
            Assert.That(outcomes.Count(won => won), Is.EqualTo(1), $"round {round}: exactly one writer should win");
        }

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => e.StreamVersion), Is.EqualTo(Enumerable.Range(1, rounds).Select(v => (long)v)));
        Assert.That(await Store.VerifyAsync(Tenant, stream), Has.Property(nameof(VerifyResult.Ok)).True);
    }

    [Test]
    public async Task Any_version_appends_whatever_the_stream_version()
    {
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.Any, [new CounterIncremented(1)]);
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.Any, [new CounterIncremented(2), new CounterIncremented(3)]);

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => e.StreamVersion), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Any_version_appends_even_while_another_session_is_appending_to_the_stream()
    {
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);

        await using var first = await Store.OpenSessionAsync(Tenant, Advisor);
        await using var second = await Store.OpenSessionAsync(Tenant, Advisor);
        await first.AppendAsync(stream, ExpectedVersion.Any, [new CounterIncremented(10)]);
        var waiters = await LockWaitersAsync();
        var secondAppend = Task.Run(async () =>
        {
            await second.AppendAsync(stream, ExpectedVersion.Any, [new CounterIncremented(20)]);
            await second.CommitAsync();
        });
        await Eventually.Until(async () => await LockWaitersAsync() > waiters || secondAppend.IsCompleted, because: "the second append should wait");
        await first.CommitAsync();
        await secondAppend;

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 1, 10, 20 }));
        Assert.That(await Store.VerifyAsync(Tenant, stream), Has.Property(nameof(VerifyResult.Ok)).True);
    }

    [Test]
    public async Task Many_concurrent_any_version_writers_all_append()
    {
        var stream = NewStream();
        var writers = Enumerable.Range(0, 8).Select(w => AppendCommittedAsync(Tenant, stream, ExpectedVersion.Any, [new CounterIncremented(w)]));
        await Task.WhenAll(writers);

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => ((CounterIncremented)e.Data).By), Is.EquivalentTo(Enumerable.Range(0, 8)));
        Assert.That(events.Select(e => e.StreamVersion), Is.EqualTo(Enumerable.Range(1, 8).Select(v => (long)v)));
    }

    [Test]
    public async Task No_stream_on_an_existing_stream_conflicts_and_writes_nothing()
    {
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1), new CounterIncremented(2)]);

        await using (var session = await Store.OpenSessionAsync(Tenant, Advisor))
        {
            var e = Assert.ThrowsAsync<ConcurrencyException>(() => session.AppendAsync(stream, ExpectedVersion.NoStream, [new CounterIncremented(3)]));
            Assert.That(e!.StreamId, Is.EqualTo(stream));
        }

        Assert.That(await ReadStreamAsync(Tenant, stream), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_expected_version_ahead_of_the_stream_conflicts()
    {
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);

        await using var session = await Store.OpenSessionAsync(Tenant, Advisor);
        Assert.ThrowsAsync<ConcurrencyException>(() => session.AppendAsync(stream, 5, [new CounterIncremented(2)]));
        await using var other = await Store.OpenSessionAsync(Tenant, Advisor);
        Assert.ThrowsAsync<ConcurrencyException>(() => other.AppendAsync(NewStream(), 1, [new CounterIncremented(1)]));
    }

    [Test]
    public async Task The_same_stream_name_in_two_councils_is_two_streams()
    {
        var stream = NewStream();
        await AppendCommittedAsync("council-a", stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);
        await AppendCommittedAsync("council-b", stream, ExpectedVersion.NoStream, [new CounterIncremented(2)]);

        Assert.That((await ReadStreamAsync("council-b", stream)).Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 2 }));
    }
}
