using CustomerAccess.Platform.EventStore;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.EventStore;

[EventType("test.thing-happened")]
public sealed record ThingHappened(string What, int Count);

public class AppendAndReadTests
{
    private TestDatabase _db = null!;
    private Platform.EventStore.EventStore _store = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _db = await TestDatabase.CreateAsync();
        _store = _db.CreateEventStore([typeof(AppendAndReadTests).Assembly]);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _db.DisposeAsync();

    private static EventContext Advisor => new() { Actor = "advisor", Channel = "phone" };

    [Test]
    public async Task Appended_events_read_back_in_order_with_their_metadata()
    {
        var stream = "thing-" + Guid.NewGuid();
        await using (var session = await _store.OpenSessionAsync("cheltenham", Advisor))
        {
            await session.AppendAsync(stream, ExpectedVersion.NoStream, [new ThingHappened("a", 1), new ThingHappened("b", 2)], customerId: "cust-1");
            await session.CommitAsync();
        }

        await using var reader = await _store.OpenSessionAsync("cheltenham", Advisor);
        var events = await reader.ReadStreamAsync(stream);
        Assert.That(events.Select(e => e.Data), Is.EqualTo(new object[] { new ThingHappened("a", 1), new ThingHappened("b", 2) }));
        Assert.That(events.Select(e => e.StreamVersion), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(events[1].Position, Is.GreaterThan(events[0].Position));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].EventType, Is.EqualTo("test.thing-happened"));
            Assert.That(events[0].Metadata.Actor, Is.EqualTo("advisor"));
            Assert.That(events[0].Metadata.Channel, Is.EqualTo("phone"));
            Assert.That(events[0].Metadata.Tenant, Is.EqualTo("cheltenham"));
            Assert.That(events[0].Metadata.CustomerId, Is.EqualTo("cust-1"));
        });
    }

    [Test]
    public async Task A_stale_expected_version_is_a_concurrency_conflict_and_writes_nothing()
    {
        var stream = "thing-" + Guid.NewGuid();
        await using (var session = await _store.OpenSessionAsync("cheltenham", Advisor))
        {
            await session.AppendAsync(stream, ExpectedVersion.NoStream, [new ThingHappened("first", 1)]);
            await session.CommitAsync();
        }

        await using (var stale = await _store.OpenSessionAsync("cheltenham", Advisor))
        {
            Assert.ThrowsAsync<ConcurrencyException>(() => stale.AppendAsync(stream, ExpectedVersion.NoStream, [new ThingHappened("second", 2)]));
        }

        await using var reader = await _store.OpenSessionAsync("cheltenham", Advisor);
        Assert.That((await reader.ReadStreamAsync(stream)).Select(e => ((ThingHappened)e.Data).What), Is.EqualTo(new[] { "first" }));
    }
}
