using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>
/// Tamper evidence: each event's hash covers the previous one in its stream, so a change to any
/// stored row, or a row taken out, is reported at the first position that no longer fits.
/// (Changes are made as the cluster superuser, whom row-level security does not stop.)
/// </summary>
public class HashChainTests : EventStoreFixture
{
    private async Task<(string Tenant, string Stream, IReadOnlyList<StoredEvent> Events)> WriteChainAsync()
    {
        var tenant = NewTenant();
        var stream = NewStream();
        var events = new List<StoredEvent>();
        for (var i = 0; i < 5; i++)
            events.AddRange(await AppendCommittedAsync(tenant, stream, i, [new CounterIncremented(i)]));
        // Another stream of the same council, to be sure chains are per stream.
        await AppendCommittedAsync(tenant, NewStream(), ExpectedVersion.NoStream, [new CounterIncremented(100), new CounterIncremented(101)]);
        return (tenant, stream, events);
    }

    [Test]
    public async Task Untouched_chains_verify()
    {
        var (tenant, stream, _) = await WriteChainAsync();

        Assert.That(await Store.VerifyAsync(tenant), Is.EqualTo(new VerifyResult(true, 7, null)));
        Assert.That(await Store.VerifyAsync(tenant, stream), Is.EqualTo(new VerifyResult(true, 5, null)));
    }

    [Test]
    public async Task Changing_one_events_data_is_reported_at_its_position()
    {
        var (tenant, stream, events) = await WriteChainAsync();
        Assert.That(await ExecuteAsAdminAsync("update es.events set data = jsonb_set(data, '{by}', '999') where position = $1", events[2].Position), Is.EqualTo(1));

        var result = await Store.VerifyAsync(tenant);
        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBrokenPosition, Is.EqualTo(events[2].Position));
        Assert.That(await Store.VerifyAsync(tenant, stream), Has.Property(nameof(VerifyResult.FirstBrokenPosition)).EqualTo(events[2].Position));
    }

    [Test]
    public async Task Changing_one_events_metadata_or_occurred_time_is_reported_at_its_position()
    {
        var (tenant, _, events) = await WriteChainAsync();
        await ExecuteAsAdminAsync("update es.events set metadata = jsonb_set(metadata, '{actor}', '\"someone-else\"') where position = $1", events[3].Position);
        await ExecuteAsAdminAsync("update es.events set occurred_at = occurred_at - interval '1 day' where position = $1", events[1].Position);

        Assert.That(await Store.VerifyAsync(tenant), Has.Property(nameof(VerifyResult.FirstBrokenPosition)).EqualTo(events[1].Position));
    }

    [Test]
    public async Task Deleting_a_middle_event_is_reported_at_the_event_after_it()
    {
        var (tenant, _, events) = await WriteChainAsync();
        Assert.That(await ExecuteAsAdminAsync("delete from es.events where position = $1", events[2].Position), Is.EqualTo(1));

        var result = await Store.VerifyAsync(tenant);
        Assert.That(result.Ok, Is.False);
        Assert.That(result.FirstBrokenPosition, Is.EqualTo(events[3].Position));
    }

    [Test]
    public async Task Deleting_a_streams_first_event_is_reported_at_the_event_after_it()
    {
        var (tenant, _, events) = await WriteChainAsync();
        await ExecuteAsAdminAsync("delete from es.events where position = $1", events[0].Position);

        Assert.That(await Store.VerifyAsync(tenant), Has.Property(nameof(VerifyResult.FirstBrokenPosition)).EqualTo(events[1].Position));
    }

    [Test]
    public async Task Rewriting_an_event_with_a_recomputed_hash_is_reported_at_the_next_event()
    {
        var (tenant, _, events) = await WriteChainAsync();
        await ExecuteAsAdminAsync("""
            update es.events e set data = '{"by": 999}',
              hash = es.event_hash(e.prev_hash, e.tenant_id, e.stream_id, e.stream_version, e.event_id, e.event_type,
                                   e.schema_version, '{"by": 999}', e.metadata, e.occurred_at)
            where position = $1
            """, events[2].Position);

        Assert.That(await Store.VerifyAsync(tenant), Has.Property(nameof(VerifyResult.FirstBrokenPosition)).EqualTo(events[3].Position));
    }

    [Test]
    public async Task Tampering_in_one_council_does_not_mark_another_as_broken()
    {
        var (tenant, _, events) = await WriteChainAsync();
        var (otherTenant, _, _) = await WriteChainAsync();
        await ExecuteAsAdminAsync("update es.events set data = '{}' where position = $1", events[0].Position);

        Assert.That(await Store.VerifyAsync(tenant), Has.Property(nameof(VerifyResult.Ok)).False);
        Assert.That(await Store.VerifyAsync(otherTenant), Has.Property(nameof(VerifyResult.Ok)).True);
    }
}
