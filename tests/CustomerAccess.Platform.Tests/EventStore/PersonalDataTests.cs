using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

[EventType("test.contact-details-given")]
public sealed record ContactDetailsGiven(string Reference, [property: PersonalData] string? Name, [property: PersonalData] string? Email);

/// <summary>
/// Crypto-shredding: personal fields are stored encrypted with the customer's own key, read as
/// plaintext, and read as null once the key is erased, with the stored bytes and hash chain intact.
/// </summary>
public class PersonalDataTests : EventStoreFixture
{
    private const string Tenant = "gloucester";

    [Test]
    public async Task Personal_fields_are_not_stored_in_plaintext_but_read_back_as_plaintext()
    {
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        var stream = NewStream();
        var stored = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-1", "Ada Lovelace", "ada@example.org"), new CounterIncremented(3)], customerId: customer);

        var raw = await RawDataAsync(stored[0].Position);
        Assert.That(raw, Does.Not.Contain("Ada Lovelace").And.Not.Contain("ada@example.org").And.Contain("ref-1"));
        Assert.That(raw, Does.Contain("$pii"));

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events[0].Data, Is.EqualTo(new ContactDetailsGiven("ref-1", "Ada Lovelace", "ada@example.org")));
        Assert.That(events[1].Data, Is.EqualTo(new CounterIncremented(3)));
        await using var session = await Store.OpenSessionAsync(Tenant, Advisor);
        Assert.That((await session.ReadCustomerEventsAsync(customer))[0].Data, Is.EqualTo(events[0].Data));
        var global = await Store.ReadAllAsync(GlobalCheckpoint.Start, 10_000);
        Assert.That(global.Single(e => e.EventId == stored[0].EventId).Data, Is.EqualTo(events[0].Data));
    }

    [Test]
    public async Task After_erasure_personal_fields_read_as_null_the_rest_still_reads_and_the_chain_still_verifies()
    {
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        var other = "cust-" + Guid.NewGuid().ToString("N");
        var stream = NewStream();
        var otherStream = NewStream();
        var stored = await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-2", "Grace Hopper", "grace@example.org")], customerId: customer);
        await AppendCommittedAsync(Tenant, stream, 1, [new ContactDetailsGiven("ref-3", "Grace H", null)], customerId: customer);
        await AppendCommittedAsync(Tenant, otherStream, ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-4", "Alan Turing", "alan@example.org")], customerId: other);
        var rawBefore = await RawRowAsync(stored[0].Position);

        await using (var session = await Store.OpenSessionAsync(Tenant, Advisor))
        {
            Assert.That(await session.EraseSubjectAsync(customer), Is.True);
            await session.CommitAsync();
        }

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => e.Data), Is.EqualTo(new object[]
        {
            new ContactDetailsGiven("ref-2", null, null), new ContactDetailsGiven("ref-3", null, null),
        }));
        Assert.That((await ReadStreamAsync(Tenant, otherStream))[0].Data,
            Is.EqualTo(new ContactDetailsGiven("ref-4", "Alan Turing", "alan@example.org")), "another customer's data is untouched");
        Assert.That(await RawRowAsync(stored[0].Position), Is.EqualTo(rawBefore), "erasure must not change stored bytes");
        var verify = await Store.VerifyAsync(Tenant);
        Assert.That(verify.Ok, Is.True);
        Assert.That(verify.FirstBrokenPosition, Is.Null);
    }

    [Test]
    public async Task Personal_data_cannot_be_written_again_for_an_erased_customer_but_other_events_can()
    {
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new ContactDetailsGiven("ref-5", "Edsger", null)], customerId: customer);
        await using (var session = await Store.OpenSessionAsync(Tenant, Advisor))
        {
            await session.EraseSubjectAsync(customer);
            await session.CommitAsync();
        }

        await using (var session = await Store.OpenSessionAsync(Tenant, Advisor))
        {
            var e = Assert.ThrowsAsync<SubjectErasedException>(() =>
                session.AppendAsync(stream, 1, [new ContactDetailsGiven("ref-6", "Edsger D", null)], customerId: customer));
            Assert.That(e!.SubjectId, Is.EqualTo(customer));
            Assert.That(e.Message, Does.Not.Contain("Edsger"));
        }

        await AppendCommittedAsync(Tenant, stream, 1, [new CounterIncremented(1)], customerId: customer);
        Assert.That(await ReadStreamAsync(Tenant, stream), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_customer_erased_in_one_council_keeps_their_data_in_another()
    {
        var customer = "cust-" + Guid.NewGuid().ToString("N");
        var stream = NewStream();
        await AppendCommittedAsync(Tenant, stream, ExpectedVersion.NoStream, [new ContactDetailsGiven("ref-7", "Barbara", null)], customerId: customer);
        await AppendCommittedAsync("stroud", stream, ExpectedVersion.NoStream, [new ContactDetailsGiven("ref-8", "Barbara L", null)], customerId: customer);
        await using (var session = await Store.OpenSessionAsync("stroud", Advisor))
        {
            await session.EraseSubjectAsync(customer);
            await session.CommitAsync();
        }

        Assert.That((await ReadStreamAsync(Tenant, stream))[0].Data, Is.EqualTo(new ContactDetailsGiven("ref-7", "Barbara", null)));
        Assert.That((await ReadStreamAsync("stroud", stream))[0].Data, Is.EqualTo(new ContactDetailsGiven("ref-8", null, null)));
    }

    [Test]
    public async Task An_event_with_personal_data_and_no_customer_is_refused()
    {
        var stream = NewStream();
        await using (var session = await Store.OpenSessionAsync(Tenant, Advisor))
        {
            Assert.ThrowsAsync<InvalidOperationException>(() =>
                session.AppendAsync(stream, ExpectedVersion.NoStream, [new ContactDetailsGiven("ref-9", "Nobody", null)]));
            await session.CommitAsync();
        }
        Assert.That(await ReadStreamAsync(Tenant, stream), Is.Empty);
    }

    private Task<string?> RawDataAsync(long position) =>
        ScalarAsAdminAsync<string>("select data::text from es.events where position = $1", position);

    private Task<string?> RawRowAsync(long position) =>
        ScalarAsAdminAsync<string>("select data::text || metadata::text || encode(hash, 'hex') from es.events where position = $1", position);
}
