using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>
/// A customer's events are read through es.customer_events, which runs as its owner so the
/// customer index works under row-level security: it must still keep to the session's council.
/// </summary>
public class CustomerEventsTests : EventStoreFixture
{
    [Test]
    public async Task A_customers_events_across_streams_come_back_in_order_and_only_to_their_own_council()
    {
        var council = NewTenant();
        var other = NewTenant();
        var customer = "cust-" + Guid.NewGuid().ToString("N")[..8];
        var first = await AppendCommittedAsync(council, NewStream("customer"), ExpectedVersion.NoStream, [new ThingHappened("registered", 1)], customer);
        await AppendCommittedAsync(council, NewStream("case"), ExpectedVersion.NoStream, [new ThingHappened("case raised", 2)], customer);
        await AppendCommittedAsync(council, NewStream("unrelated"), ExpectedVersion.NoStream, [new ThingHappened("someone else", 3)], "another-customer");
        // The same customer id in another council is another person's record.
        await AppendCommittedAsync(other, NewStream("customer"), ExpectedVersion.NoStream, [new ThingHappened("elsewhere", 4)], customer);

        await using (var session = await Store.OpenSessionAsync(council, Advisor))
        {
            var events = await session.ReadCustomerEventsAsync(customer);
            Assert.That(events.Select(e => ((ThingHappened)e.Data).What), Is.EqualTo(new[] { "registered", "case raised" }));
            var asAtFirst = await session.ReadCustomerEventsAsync(customer, new AsAt(Position: first[0].Position));
            Assert.That(asAtFirst.Select(e => ((ThingHappened)e.Data).What), Is.EqualTo(new[] { "registered" }));
        }
        await using (var session = await Store.OpenSessionAsync(other, Advisor))
        {
            var events = await session.ReadCustomerEventsAsync(customer);
            Assert.That(events.Select(e => ((ThingHappened)e.Data).What), Is.EqualTo(new[] { "elsewhere" }));
        }
    }
}
