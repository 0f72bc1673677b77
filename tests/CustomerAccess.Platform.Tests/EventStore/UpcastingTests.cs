using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>Version 3 of an address change. v1 was {"line": "street, town"}; v2 split it.</summary>
[EventType("test.address-changed", 3)]
public sealed record AddressChanged(string Street, string Town, string Country);

public sealed class AddressChangedV1ToV2 : IEventUpcaster
{
    public string EventType => "test.address-changed";
    public int FromVersion => 1;

    public JsonObject Upcast(JsonObject payload)
    {
        var parts = payload["line"]!.GetValue<string>().Split(", ", 2);
        return new JsonObject { ["street"] = parts[0], ["town"] = parts.Length > 1 ? parts[1] : "" };
    }
}

public sealed class AddressChangedV2ToV3 : IEventUpcaster
{
    public string EventType => "test.address-changed";
    public int FromVersion => 2;

    public JsonObject Upcast(JsonObject payload)
    {
        payload["country"] = "England";
        return payload;
    }
}

/// <summary>Once written by a class called CustomerMoved; the class was renamed, its stored name kept.</summary>
[EventType("test.customer-moved")]
public sealed record CustomerRelocated(string To);

/// <summary>Old payloads are brought up to date on read; classes can be renamed freely.</summary>
public class UpcastingTests : EventStoreFixture
{
    private const string Tenant = "cotswold";

    [Test]
    public async Task A_version_1_payload_reads_as_the_current_version_through_each_upcaster_in_turn()
    {
        var stream = NewStream("address");
        await AppendRawAsync(stream, "test.address-changed", 1, """{"line": "1 High Street, Stroud"}""");
        await AppendRawAsync(stream, "test.address-changed", 2, """{"street": "2 Low Road", "town": "Nailsworth"}""");
        await AppendCommittedAsync(Tenant, stream, 2, [new AddressChanged("3 Mill Lane", "Painswick", "Wales")]);

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => e.Data), Is.EqualTo(new object[]
        {
            new AddressChanged("1 High Street", "Stroud", "England"),
            new AddressChanged("2 Low Road", "Nailsworth", "England"),
            new AddressChanged("3 Mill Lane", "Painswick", "Wales"),
        }));
        Assert.That(events.Select(e => e.SchemaVersion), Is.All.EqualTo(3));
        Assert.That(await ScalarAsAdminAsync<string>("select data::text from es.events where stream_id = $1 and stream_version = 1", stream),
            Does.Contain("\"line\""), "upcasting happens on read: the stored payload is left as it was");
        Assert.That(await Store.VerifyAsync(Tenant, stream), Has.Property(nameof(VerifyResult.Ok)).True);
    }

    [Test]
    public async Task A_stored_version_without_an_upcaster_fails_loudly_rather_than_reading_wrongly()
    {
        var stream = NewStream("address");
        var registry = new EventTypeRegistry();
        registry.Register(typeof(AddressChanged));
        registry.AddUpcaster(new AddressChangedV2ToV3());
        var store = new Platform.EventStore.EventStore(Db.Database, registry, Store.Protector, []);
        await AppendRawAsync(stream, "test.address-changed", 1, """{"line": "1 High Street, Stroud"}""");

        await using var session = await store.OpenSessionAsync(Tenant, Advisor);
        Assert.ThrowsAsync<InvalidOperationException>(() => session.ReadStreamAsync(stream));
    }

    [Test]
    public async Task A_renamed_class_still_loads_what_was_stored_under_its_event_name()
    {
        var stream = NewStream("customer");
        // What the class, then called CustomerMoved, wrote.
        await AppendRawAsync(stream, "test.customer-moved", 1, """{"to": "Cirencester"}""");
        await AppendCommittedAsync(Tenant, stream, 1, [new CustomerRelocated("Tetbury")]);

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => e.Data), Is.EqualTo(new object[] { new CustomerRelocated("Cirencester"), new CustomerRelocated("Tetbury") }));
        var stored = await ScalarAsAdminAsync<string>(
            "select string_agg(event_type || data::text || metadata::text, '|') from es.events where stream_id = $1", stream);
        Assert.That(stored, Does.Not.Contain(nameof(CustomerRelocated)).And.Contain("test.customer-moved"));
    }

    [Test]
    public async Task An_event_type_this_process_does_not_know_reads_as_json()
    {
        var stream = NewStream("other");
        await AppendRawAsync(stream, "test.some-other-module-event", 4, """{"answer": 42}""");

        var read = (await ReadStreamAsync(Tenant, stream)).Single();
        Assert.That(read.Data, Is.InstanceOf<JsonObject>());
        Assert.That(((JsonObject)read.Data)["answer"]!.GetValue<int>(), Is.EqualTo(42));
        Assert.That(read.SchemaVersion, Is.EqualTo(4));
    }

    /// <summary>Writes a payload exactly as an older build would have, through es.append.</summary>
    private async Task AppendRawAsync(string stream, string type, int schemaVersion, string json)
    {
        await using var tx = await Db.Database.BeginAsync(Tenant);
        await using var cmd = tx.Command("""
            select * from es.append($1, $2, -2, array[gen_random_uuid()], array[$3], array[$4],
                                    array[$5::jsonb], array[$6::jsonb], array[now()])
            """);
        cmd.Parameters.AddWithValue(Tenant);
        cmd.Parameters.AddWithValue(stream);
        cmd.Parameters.AddWithValue(type);
        cmd.Parameters.AddWithValue(schemaVersion);
        cmd.Parameters.AddWithValue(json);
        cmd.Parameters.AddWithValue(JsonSerializer.Serialize(new EventMetadata { Tenant = Tenant, Actor = "legacy" }, JsonDefaults.Options));
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}
