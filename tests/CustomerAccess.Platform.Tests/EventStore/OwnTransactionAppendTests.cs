using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.PersonalData;
using Npgsql;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>
/// EventStore.AppendAsync, the append in a transaction of its own (one statement, one round trip
/// when it can), and the councils' own connection pools it relies on: the same rows, checks and
/// chain as a session's append.
/// </summary>
public class OwnTransactionAppendTests : EventStoreFixture
{
    private const string Tenant = "tewkesbury";

    [Test]
    public async Task Appends_in_their_own_transaction_read_back_with_metadata_versions_and_a_chain_that_verifies()
    {
        var stream = NewStream();
        var context = Advisor with { CausationId = Guid.NewGuid() };
        var first = await Store.AppendAsync(Tenant, context, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);
        var second = await Store.AppendAsync(Tenant, context, stream, 1, [new CounterIncremented(2)]);
        var many = await Store.AppendAsync(Tenant, context, stream, 2, [new CounterIncremented(3), new CounterIncremented(4)]);
        var any = await Store.AppendAsync(Tenant, context, stream, ExpectedVersion.Any, [new CounterIncremented(5)]);

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.Multiple(async () =>
        {
            Assert.That(events.Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(events.Select(e => e.StreamVersion), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            Assert.That(events.Select(e => e.Position), Is.EqualTo(first.Concat(second).Concat(many).Concat(any).Select(e => e.Position)));
            Assert.That(events.Select(e => e.EventId), Is.EqualTo(first.Concat(second).Concat(many).Concat(any).Select(e => e.EventId)));
            Assert.That(events.All(e => e.Metadata.Tenant == Tenant && e.Metadata.Actor == "advisor" && e.Metadata.Channel == "phone"
                                        && e.Metadata.CorrelationId == context.CorrelationId && e.Metadata.CausationId == context.CausationId));
            Assert.That(events.All(e => e.TransactionId > 0));
            Assert.That(first[0].RecordedAt, Is.EqualTo(events[0].RecordedAt));
            Assert.That((await Store.VerifyAsync(Tenant, stream)).Ok, Is.True);
        });
    }

    [Test]
    public async Task A_stale_expected_version_is_a_concurrency_conflict_and_writes_nothing()
    {
        var stream = NewStream();
        await Store.AppendAsync(Tenant, Advisor, stream, ExpectedVersion.NoStream, [new CounterIncremented(1)]);

        Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, Advisor, stream, ExpectedVersion.NoStream, [new CounterIncremented(2)]));
        Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, Advisor, stream, 5, [new CounterIncremented(3)]));
        Assert.ThrowsAsync<ConcurrencyException>(() => Store.AppendAsync(Tenant, Advisor, stream, 0, [new CounterIncremented(4), new CounterIncremented(5)]));

        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events.Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Of_many_racing_on_one_expected_version_exactly_one_wins_every_round()
    {
        var stream = NewStream();
        const int racers = 8;
        for (var round = 0; round < 5; round++)
        {
            var expected = round;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, racers).Select(async racer =>
            {
                await start.Task;
                try
                {
                    await Store.AppendAsync(Tenant, Advisor, stream, expected, [new CounterIncremented(racer)]);
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            }).ToList();
            start.SetResult();
            Assert.That((await Task.WhenAll(attempts)).Count(won => won), Is.EqualTo(1), $"round {round}");
        }
        Assert.That((await ReadStreamAsync(Tenant, stream)).Select(e => e.StreamVersion), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
        Assert.That((await Store.VerifyAsync(Tenant, stream)).Ok, Is.True);
    }

    [Test]
    public async Task Personal_data_is_encrypted_with_the_customers_key_as_in_a_session()
    {
        var stream = NewStream();
        var stored = await Store.AppendAsync(Tenant, Advisor, stream, ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-1", "Priya Patel", "priya@example.org")], customerId: "cust-own-tx");

        var raw = await ScalarAsAdminAsync<string>("select data::text from es.events where position = $1", stored[0].Position);
        Assert.That(raw, Does.Not.Contain("Priya").And.Not.Contain("priya@"));
        var events = await ReadStreamAsync(Tenant, stream);
        Assert.That(events[0].Data, Is.EqualTo(new ContactDetailsGiven("ref-1", "Priya Patel", "priya@example.org")));
    }

    [Test]
    public async Task An_inline_projection_is_applied_to_the_events_it_handles_and_skipped_for_others()
    {
        var projection = new CountersOnly();
        var store = Db.CreateEventStore([typeof(EventStoreFixture).Assembly], [projection]);
        var stream = NewStream();

        await store.AppendAsync(Tenant, Advisor, stream, ExpectedVersion.NoStream, [new ThingHappened("not counted", 1)]);
        await store.AppendAsync(Tenant, Advisor, stream, 1, [new CounterIncremented(7)]);

        Assert.That(projection.Applied, Is.EqualTo(new[] { "test.counter-incremented" }));
        Assert.That((await ReadStreamAsync(Tenant, stream)).Select(e => e.StreamVersion), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task A_councils_own_pool_connects_as_that_council_and_sees_no_other()
    {
        var councilA = NewTenant("pool-a");
        var councilB = NewTenant("pool-b");
        await Store.AppendAsync(councilA, Advisor, NewStream(), ExpectedVersion.NoStream, [new CounterIncremented(1)]);
        await Store.AppendAsync(councilB, Advisor, NewStream(), ExpectedVersion.NoStream, [new CounterIncremented(1)]);

        var (connection, councilSet) = await Db.Database.OpenTenantConnectionAsync(councilA);
        await using (connection)
        {
            Assert.That(councilSet, Is.True);
            Assert.That(await ScalarAsync<string>(connection, "select es.current_tenant()"), Is.EqualTo(councilA));
            Assert.That(await ScalarAsync<long>(connection, "select count(*) from es.events where tenant_id <> $1", councilA), Is.Zero);
            Assert.That(await ScalarAsync<long>(connection, "select count(*) from es.events where tenant_id = $1", councilA), Is.EqualTo(1));
            var insert = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<long>(connection, """
                insert into es.events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, hash)
                values ($1, 'intruder', 1, gen_random_uuid(), 'x', 1, '{}', '{}', now(), '\x00') returning position
                """, councilB));
            Assert.That(insert!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        }
    }

    [Test]
    public async Task Councils_beyond_the_pool_limit_or_with_unusual_ids_share_a_pool_and_are_set_per_transaction()
    {
        await using var shared = new PlatformDatabase(Db.AdminConnectionString) { MaxCouncilPools = 0 };
        var store = new Platform.EventStore.EventStore(shared, Store.Registry, PersonalDataProtector.FromBase64(Db.MasterKeyBase64), []);
        var councilA = NewTenant("shared-a");
        var odd = "council " + Guid.NewGuid().ToString("N")[..6] + " -c x=y";
        var streamA = NewStream();

        await store.AppendAsync(councilA, Advisor, streamA, ExpectedVersion.NoStream, [new CounterIncremented(1)]);
        await AppendCommittedAsync(councilA, streamA, 1, [new CounterIncremented(2)], store: store);
        await store.AppendAsync(odd, Advisor, NewStream(), ExpectedVersion.NoStream, [new CounterIncremented(1)]);
        var (oddConnection, oddSet) = await Db.Database.OpenTenantConnectionAsync(odd);
        await oddConnection.DisposeAsync();
        Assert.That(oddSet, Is.False, "an id that is not a slug never goes into a startup option");

        var (connection, councilSet) = await shared.OpenTenantConnectionAsync(councilA);
        await using (connection)
            Assert.That(councilSet, Is.False);
        await using var session = await store.OpenSessionAsync(councilA, Advisor);
        Assert.That((await session.ReadStreamAsync(streamA)).Select(e => ((CounterIncremented)e.Data).By), Is.EqualTo(new[] { 1, 2 }));
        await using var count = session.Db.Command("select count(*) from es.events where tenant_id <> $1");
        count.Parameters.AddWithValue(councilA);
        Assert.That(await count.ExecuteScalarAsync(), Is.Zero);
        await using var oddSession = await store.OpenSessionAsync(odd, Advisor);
        Assert.That(await oddSession.StreamVersionAsync(streamA), Is.Zero, "the odd council sees none of council A's stream");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private sealed class CountersOnly : IInlineProjection
    {
        public List<string> Applied { get; } = [];

        public bool Handles(Type eventType) => eventType == typeof(CounterIncremented);

        public Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
        {
            // Every call is recorded: an append of events this projection does not handle must not reach it.
            Applied.AddRange(events.Select(e => e.EventType));
            return Task.CompletedTask;
        }
    }
}
