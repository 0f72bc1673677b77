using System.Diagnostics;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>Who, where, why and which trace: every event's metadata is stored and read back as written.</summary>
public class MetadataTests : EventStoreFixture
{
    private const string Tenant = "forest-of-dean";

    [Test]
    public async Task The_current_w3c_trace_context_is_stored_and_read_back()
    {
        using var activity = new Activity("handle-request");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = "customeraccess=t61rcWkgMzE";
        activity.Start();
        var context = new EventContext { Actor = "advisor-7" }.WithCurrentTrace();
        Assert.That(context.TraceParent, Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$"));

        var stream = NewStream();
        var appended = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)], context: context);
        activity.Stop();

        var read = (await ReadStreamAsync(Tenant, stream)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(read.Metadata.TraceParent, Is.EqualTo(activity.Id));
            Assert.That(read.Metadata.TraceParent, Does.Contain(activity.TraceId.ToHexString()));
            Assert.That(read.Metadata.TraceState, Is.EqualTo("customeraccess=t61rcWkgMzE"));
            Assert.That(appended[0].Metadata, Is.EqualTo(read.Metadata));
        });
    }

    [Test]
    public async Task Without_a_current_trace_no_trace_context_is_stored()
    {
        Assume.That(Activity.Current, Is.Null);
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)], context: EventContext.System("nightly-job"));

        var read = (await ReadStreamAsync(Tenant, stream)).Single();
        Assert.That(read.Metadata.TraceParent, Is.Null);
        Assert.That(read.Metadata.Actor, Is.EqualTo("nightly-job"));
        Assert.That(await ScalarAsAdminAsync<string>("select metadata::text from es.events where stream_id = $1", stream), Does.Not.Contain("traceParent"));
    }

    [Test]
    public async Task Correlation_causation_actor_channel_tenant_and_customer_round_trip_through_every_read()
    {
        var correlation = Guid.NewGuid();
        var causation = Guid.NewGuid();
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        var context = new EventContext { Actor = "resident:42", Channel = "web", CorrelationId = correlation, CausationId = causation };
        var stream = NewStream();
        var appended = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1), new CounterIncremented(2)],
            customerId: customer, context: context);

        var expected = new EventMetadata
        {
            Tenant = Tenant, Actor = "resident:42", Channel = "web", CorrelationId = correlation, CausationId = causation, CustomerId = customer,
        };
        var fromStream = await ReadStreamAsync(Tenant, stream);
        await using var session = await Store.OpenSessionAsync(Tenant, Advisor);
        var fromCustomer = await session.ReadCustomerEventsAsync(customer);
        var fromLog = (await Store.ReadAllAsync(GlobalCheckpoint.Start, 100_000)).Where(e => e.StreamId == stream).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(appended.Select(e => e.Metadata), Is.All.EqualTo(expected));
            Assert.That(fromStream.Select(e => e.Metadata), Is.All.EqualTo(expected));
            Assert.That(fromCustomer.Select(e => e.Metadata), Is.All.EqualTo(expected));
            Assert.That(fromLog.Select(e => e.Metadata), Is.All.EqualTo(expected));
            Assert.That(fromLog, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Each_event_of_a_write_gets_its_own_time_ordered_id()
    {
        var stream = NewStream();
        var appended = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new CounterIncremented(1), new CounterIncremented(2), new CounterIncremented(3)]);

        Assert.That(appended.Select(e => e.EventId), Is.Unique);
        Assert.That(appended.Select(e => e.EventId.Version), Is.All.EqualTo(7));
        Assert.That((await ReadStreamAsync(Tenant, stream)).Select(e => e.EventId), Is.EqualTo(appended.Select(e => e.EventId)));
    }
}
