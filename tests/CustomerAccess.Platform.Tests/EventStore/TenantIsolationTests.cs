using CustomerAccess.Platform.EventStore;
using Npgsql;

namespace CustomerAccess.Platform.Tests.EventStore;

/// <summary>
/// Row-level security on the store's tables, checked with raw SQL as the application role: a
/// connection set to one council can neither see nor write another council's rows.
/// </summary>
public class TenantIsolationTests : EventStoreFixture
{
    private string _councilA = null!;
    private string _councilB = null!;
    private string _streamB = null!;

    [OneTimeSetUp]
    public async Task WriteBothCouncils()
    {
        _councilA = NewTenant("a");
        _councilB = NewTenant("b");
        _streamB = NewStream();
        await AppendCommittedAsync(_councilA, NewStream(), ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-a", "Alice A", "alice@a.example")], customerId: "cust-a");
        await AppendCommittedAsync(_councilB, _streamB, ExpectedVersion.NoStream,
            [new ContactDetailsGiven("ref-b", "Bob B", "bob@b.example"), new CounterIncremented(1)], customerId: "cust-b");
    }

    [Test]
    public async Task Set_to_one_council_a_raw_read_returns_none_of_another_councils_events_or_keys()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await SetCouncilAsync(connection, tx, _councilA);

        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.events where tenant_id = $1", _councilB), Is.Zero);
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.subject_keys where tenant_id = $1", _councilB), Is.Zero);
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.events where tenant_id <> $1", _councilA), Is.Zero);
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.subject_keys where tenant_id <> $1", _councilA), Is.Zero);
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.events where tenant_id = $1", _councilA), Is.EqualTo(1));
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.subject_keys where tenant_id = $1", _councilA), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task With_no_council_set_a_raw_read_returns_nothing()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();

        Assert.That(await CountAsync(connection, tx, "select count(*) from es.events"), Is.Zero);
        Assert.That(await CountAsync(connection, tx, "select count(*) from es.subject_keys"), Is.Zero);
    }

    [Test]
    public async Task The_council_setting_ends_with_its_transaction()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await SetCouncilAsync(connection, tx, _councilA);
            Assert.That(await CountAsync(connection, tx, "select count(*) from es.events"), Is.EqualTo(1));
            await tx.CommitAsync();
        }
        Assert.That(await CountAsync(connection, null, "select count(*) from es.events"), Is.Zero);
    }

    [Test]
    public async Task Set_to_one_council_inserting_an_event_for_another_is_refused()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await SetCouncilAsync(connection, tx, _councilA);

        await using var insert = new NpgsqlCommand("""
            insert into es.events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, hash)
            values ($1, 'forged', 1, gen_random_uuid(), 'test.forged', 1, '{}', '{}', now(), '\x00')
            """, connection, tx);
        insert.Parameters.AddWithValue(_councilB);
        var e = Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.That(e!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    public async Task Set_to_one_council_appending_through_the_append_function_for_another_is_refused()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await SetCouncilAsync(connection, tx, _councilA);

        await using var append = new NpgsqlCommand("""
            select * from es.append($1, 'forged', -2, array[gen_random_uuid()], array['test.forged'], array[1],
                                    array['{}'::jsonb], array['{}'::jsonb], array[now()])
            """, connection, tx);
        append.Parameters.AddWithValue(_councilB);
        Assert.ThrowsAsync<PostgresException>(() => append.ExecuteNonQueryAsync());
        await tx.RollbackAsync();

        Assert.That(await ScalarAsAdminAsync<long>("select count(*) from es.events where stream_id = 'forged'"), Is.Zero);
    }

    [Test]
    public async Task Set_to_one_council_a_key_for_another_cannot_be_written_and_its_rows_cannot_be_changed()
    {
        await using var connection = await Db.Database.App.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await SetCouncilAsync(connection, tx, _councilA);

        Assert.That(await CountAsync(connection, tx, "with d as (update es.events set data = '{}' where tenant_id = $1 returning 1) select count(*) from d", _councilB), Is.Zero);
        Assert.That(await CountAsync(connection, tx, "with d as (delete from es.events where tenant_id = $1 returning 1) select count(*) from d", _councilB), Is.Zero);
        Assert.That(await CountAsync(connection, tx, "with d as (update es.subject_keys set wrapped_key = null where tenant_id = $1 returning 1) select count(*) from d", _councilB), Is.Zero);
        await using var insert = new NpgsqlCommand("insert into es.subject_keys (tenant_id, subject_id, wrapped_key) values ($1, 'cust-x', '\\x00')", connection, tx);
        insert.Parameters.AddWithValue(_councilB);
        var e = Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.That(e!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
        await tx.RollbackAsync();

        Assert.That(await Store.VerifyAsync(_councilB), Has.Property(nameof(VerifyResult.Ok)).True.And.Property(nameof(VerifyResult.EventsChecked)).EqualTo(2));
        var b = await ReadStreamAsync(_councilB, _streamB);
        Assert.That(((ContactDetailsGiven)b[0].Data).Name, Is.EqualTo("Bob B"));
    }

    [Test]
    public async Task A_session_of_one_council_cannot_read_another_councils_stream()
    {
        Assert.That(await ReadStreamAsync(_councilA, _streamB), Is.Empty);
        await using var session = await Store.OpenSessionAsync(_councilA, Advisor);
        Assert.That(await session.ReadCustomerEventsAsync("cust-b"), Is.Empty);
    }

    private static async Task SetCouncilAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string council)
    {
        await using var cmd = new NpgsqlCommand("select set_config('app.tenant_id', $1, true)", connection, tx);
        cmd.Parameters.AddWithValue(council);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
