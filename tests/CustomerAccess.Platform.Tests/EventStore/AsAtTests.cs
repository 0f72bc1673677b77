using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

[EventType("test.charge-added")]
public sealed record ChargeAdded(int Pence);

[EventType("test.payment-taken")]
public sealed record PaymentTaken(int Pence);

/// <summary>A clock the test sets: the writer's idea of when something occurred.</summary>
public sealed class SettableTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// As-at reads: a stream (or a customer's events) as the store knew it at an instant or a
/// position, so state folded from them is the state of that moment.
/// </summary>
public class AsAtTests : EventStoreFixture
{
    private const string Tenant = "tewkesbury";

    private static int Balance(IEnumerable<StoredEvent> events) => events.Sum(e => e.Data switch
    {
        ChargeAdded c => c.Pence,
        PaymentTaken p => -p.Pence,
        _ => 0,
    });

    [Test]
    public async Task Reading_as_at_a_position_or_a_recorded_instant_gives_only_earlier_events_and_the_state_of_then()
    {
        var stream = NewStream("account");
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        object[] history = [new ChargeAdded(500), new PaymentTaken(200), new ChargeAdded(1000), new PaymentTaken(1300)];
        var appended = new List<StoredEvent>();
        var balanceAfter = new List<int>();
        for (var i = 0; i < history.Length; i++)
        {
            appended.AddRange(await AppendCommittedAsync(Tenant, stream, i, [history[i]], customerId: customer));
            balanceAfter.Add(Balance(await ReadStreamAsync(Tenant, stream)));
        }
        Assert.That(balanceAfter, Is.EqualTo(new[] { 500, 300, 1300, 0 }));

        var all = await ReadStreamAsync(Tenant, stream);
        var recorded = all.Select(e => e.RecordedAt).ToList();
        Assert.That(recorded, Is.Ordered.And.Unique, "each commit was recorded at a later instant");

        await using var session = await Store.OpenSessionAsync(Tenant, Advisor);
        for (var i = 0; i < history.Length; i++)
        {
            var byPosition = await session.ReadStreamAsync(stream, new AsAt(Position: appended[i].Position));
            var byTime = await session.ReadStreamAsync(stream, new AsAt(Time: recorded[i]));
            var customerByTime = await session.ReadCustomerEventsAsync(customer, new AsAt(Time: recorded[i]));
            Assert.Multiple(() =>
            {
                Assert.That(byPosition.Select(e => e.EventId), Is.EqualTo(appended.Take(i + 1).Select(e => e.EventId)), $"as at position {i}");
                Assert.That(byTime.Select(e => e.EventId), Is.EqualTo(appended.Take(i + 1).Select(e => e.EventId)), $"as at time {i}");
                Assert.That(customerByTime.Select(e => e.EventId), Is.EqualTo(appended.Take(i + 1).Select(e => e.EventId)), $"customer as at time {i}");
                Assert.That(Balance(byPosition), Is.EqualTo(balanceAfter[i]));
                Assert.That(Balance(byTime), Is.EqualTo(balanceAfter[i]));
            });
        }

        Assert.That(await session.ReadStreamAsync(stream, new AsAt(Time: recorded[0].AddTicks(-10))), Is.Empty);
        Assert.That(await session.ReadStreamAsync(stream, new AsAt(Position: appended[0].Position - 1)), Is.Empty);
        Assert.That(await session.ReadStreamAsync(stream, AsAt.FromTime(null)), Has.Count.EqualTo(history.Length));
    }

    [Test]
    public async Task As_at_a_time_is_about_when_the_store_recorded_an_event_not_when_the_writer_says_it_occurred()
    {
        var stream = NewStream("account");
        var first = (await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new ChargeAdded(100)]))[0];
        var firstRecorded = (await ReadStreamAsync(Tenant, stream))[0].RecordedAt;

        // A back-dated event: it says it occurred in 2020 but the store learnt of it now.
        var clock = new SettableTime(new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var backDatedStore = Db.CreateEventStore([typeof(AsAtTests).Assembly], time: clock);
        var backDated = (await AppendCommittedAsync(Tenant, stream, 1, [new ChargeAdded(50)], store: backDatedStore))[0];

        var read = await ReadStreamAsync(Tenant, stream);
        Assert.That(read[1].OccurredAt, Is.EqualTo(clock.Now));
        Assert.That(read[1].RecordedAt, Is.GreaterThan(firstRecorded));

        var asAtFirst = await ReadStreamAsync(Tenant, stream, new AsAt(Time: firstRecorded));
        Assert.That(asAtFirst.Select(e => e.EventId), Is.EqualTo(new[] { first.EventId }));
        Assert.That(backDated.OccurredAt, Is.EqualTo(clock.Now));
    }

    [Test]
    public async Task An_appended_event_reports_the_position_and_recorded_instant_it_reads_back_with()
    {
        var stream = NewStream("account");
        var clock = new SettableTime(new DateTimeOffset(2021, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var store = Db.CreateEventStore([typeof(AsAtTests).Assembly], time: clock);
        var appended = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new ChargeAdded(1), new ChargeAdded(2)], store: store);

        var read = await ReadStreamAsync(Tenant, stream);
        Assert.That(appended.Select(e => (e.Position, e.TransactionId, e.StreamVersion, e.OccurredAt, e.RecordedAt)),
            Is.EqualTo(read.Select(e => (e.Position, e.TransactionId, e.StreamVersion, e.OccurredAt, e.RecordedAt))));
    }
}
