using System.Globalization;
using System.Text.Json;
using CustomerAccess.Platform.PersonalData;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// One append to one stream as the store sends it: the events serialised and stamped, the SQL, and
/// the reading of what PostgreSQL assigned. Used by <see cref="EventSession.AppendAsync"/> and by
/// the one-round-trip <see cref="EventStore.AppendAsync"/>, so both write exactly the same rows.
/// </summary>
internal sealed class StreamAppend
{
    // A single event with an exact expected version (the common case: a command appends one event
    // to a stream it has read) is one INSERT, with no plpgsql call: read the stream's head, insert
    // the next version if it is the one expected, hash it onto the chain. Racers that read the same
    // head collide on the (tenant, stream, version) key and the loser gets a ConcurrencyException;
    // a stale expected version inserts nothing. Row-level security checks the council on insert.
    // The hash expression must stay identical to es.event_hash (Schema/0001), which es.verify uses:
    // the chain tests fail if they ever disagree. ~15% more appends than calling es.append at 16
    // writers (docs/benchmarks.md). Many events, or "any version", go through es.append, whose
    // advisory lock lets "any" writers queue instead of failing.
    private const string SingleEventSql = """
        with head as (
          select e.stream_version, e.hash from es.events e
          where e.tenant_id = $1 and e.stream_id = $2
          order by e.stream_version desc limit 1
        ), next as (
          select coalesce((select stream_version from head), 0) + 1 as version, (select hash from head) as prev
        )
        insert into es.events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version,
                               data, metadata, occurred_at, prev_hash, hash)
        select $1, $2, next.version, $4, $5, $6, $7, $8, $9, next.prev,
          sha256(coalesce(next.prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
            $1, $2, next.version::text, $4::text, $5, $6::text,
            ((extract(epoch from $9::timestamptz) * 1000000)::bigint)::text, $7::jsonb::text, $8::jsonb::text), 'UTF8'))
        from next where next.version = $3 + 1
        returning position, transaction_id::text, stream_version, recorded_at
        """;

    private const string ManyEventsSql =
        "select event_position, event_transaction::text, event_version, event_recorded_at from es.append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private readonly IReadOnlyList<object> _events;
    private readonly EventTypeInfo[] _infos;

    private StreamAppend(string tenant, string streamId, long expectedVersion, IReadOnlyList<object> events,
        EventTypeInfo[] infos, EventMetadata metadata, DateTimeOffset now)
    {
        Tenant = tenant;
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        _events = events;
        _infos = infos;
        Metadata = metadata;
        MetadataJson = JsonSerializer.Serialize(metadata, JsonDefaults.Options);
        Now = now;
        Ids = new Guid[events.Count];
        Payloads = new string?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            Ids[i] = EventIds.CreateVersion7(now);
            if (infos[i].PersonalFields.Count == 0)
                Payloads[i] = JsonSerializer.Serialize(events[i], events[i].GetType(), JsonDefaults.Options);
        }
    }

    public string Tenant { get; }
    public string StreamId { get; }
    public int Count => _events.Count;
    public long ExpectedVersion { get; }
    public EventMetadata Metadata { get; }
    public string MetadataJson { get; }
    public DateTimeOffset Now { get; }
    public Guid[] Ids { get; }
    private string?[] Payloads { get; }

    /// <summary>True when some event has fields to encrypt with the customer's key first.</summary>
    public bool NeedsKey => Payloads.Any(p => p is null);

    public static StreamAppend Create(EventStore store, string tenant, EventContext context, string streamId, long expectedVersion,
        IReadOnlyList<object> events, string? customerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        var infos = new EventTypeInfo[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            infos[i] = store.Registry.For(events[i].GetType());
            if (infos[i].PersonalFields.Count > 0 && customerId is null)
                throw new InvalidOperationException($"{infos[i].Name} carries personal data but no customer id was given.");
        }
        var metadata = new EventMetadata
        {
            Tenant = tenant, Actor = context.Actor, Channel = context.Channel, CorrelationId = context.CorrelationId,
            CausationId = context.CausationId, CustomerId = customerId, TraceParent = context.TraceParent, TraceState = context.TraceState,
            OnBehalfOf = context.OnBehalfOf,
        };
        return new StreamAppend(tenant, streamId, expectedVersion, events, infos, metadata, store.Time.GetUtcNow());
    }

    /// <summary>Encrypts the personal fields with the data subject's key (see <see cref="NeedsKey"/>).</summary>
    public void Encrypt(byte[] key)
    {
        for (var i = 0; i < _events.Count; i++)
        {
            if (Payloads[i] is not null) continue;
            var node = JsonSerializer.SerializeToNode(_events[i], _events[i].GetType(), JsonDefaults.Options)!.AsObject();
            PersonalDataProtector.EncryptFields(node, _infos[i].PersonalFields, key, Tenant, Metadata.CustomerId!);
            Payloads[i] = node.ToJsonString(JsonDefaults.Options);
        }
    }

    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (NeedsKey) throw new InvalidOperationException("Encrypt the personal fields before appending.");
        var single = _events.Count == 1 && ExpectedVersion >= 0;
        var cmd = new NpgsqlCommand(single ? SingleEventSql : ManyEventsSql, connection, transaction);
        cmd.Parameters.AddWithValue(Tenant);
        cmd.Parameters.AddWithValue(StreamId);
        cmd.Parameters.AddWithValue(ExpectedVersion);
        if (single)
        {
            cmd.Parameters.AddWithValue(Ids[0]);
            cmd.Parameters.AddWithValue(_infos[0].Name);
            cmd.Parameters.AddWithValue(_infos[0].Version);
            cmd.Parameters.Add(new NpgsqlParameter { Value = Payloads[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter { Value = MetadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.AddWithValue(Now);
            return cmd;
        }
        cmd.Parameters.AddWithValue(Ids);
        cmd.Parameters.AddWithValue(_infos.Select(i => i.Name).ToArray());
        cmd.Parameters.AddWithValue(_infos.Select(i => i.Version).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter { Value = Payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat(MetadataJson, _events.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        cmd.Parameters.AddWithValue(Enumerable.Repeat(Now, _events.Count).ToArray());
        return cmd;
    }

    /// <summary>Runs the command and returns the events as stored; a version conflict is a <see cref="ConcurrencyException"/>.</summary>
    public async Task<List<StoredEvent>> ExecuteAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var stored = new List<StoredEvent>(_events.Count);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var i = stored.Count;
                stored.Add(new StoredEvent
                {
                    Position = reader.GetInt64(0), TransactionId = ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                    Tenant = Tenant, StreamId = StreamId, StreamVersion = reader.GetInt64(2), EventId = Ids[i], EventType = _infos[i].Name,
                    SchemaVersion = _infos[i].Version, Data = _events[i], Metadata = Metadata, OccurredAt = Now,
                    RecordedAt = reader.GetFieldValue<DateTimeOffset>(3),
                });
            }
        }
        catch (PostgresException e) when (e.SqlState is "CA409" || (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName?.Contains("stream_version", StringComparison.Ordinal) == true))
        {
            throw new ConcurrencyException(StreamId, ExpectedVersion, e);
        }
        // The single-event statement inserts nothing when the stream is not at the expected version.
        if (stored.Count < _events.Count) throw new ConcurrencyException(StreamId, ExpectedVersion);
        return stored;
    }
}
