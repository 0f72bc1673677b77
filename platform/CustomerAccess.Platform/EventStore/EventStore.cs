using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.PersonalData;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Platform.EventStore;

/// <summary>A module's read model kept in the same transaction as the append that feeds it.</summary>
public interface IInlineProjection
{
    Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct);

    /// <summary>
    /// Whether this read model is fed by events of <paramref name="eventType"/>. The default, all
    /// of them, is always safe; a projection that names its types lets appends of other events
    /// take the store's one-round-trip path (<see cref="EventStore.AppendAsync"/>).
    /// </summary>
    bool Handles(Type eventType) => true;
}

/// <summary>Where to stop when reading a stream: what was known at an instant or a position.</summary>
public sealed record AsAt(DateTimeOffset? Time = null, long? Position = null)
{
    public static AsAt? FromTime(DateTimeOffset? time) => time is null ? null : new AsAt(time);
}

public sealed record VerifyResult(bool Ok, long EventsChecked, long? FirstBrokenPosition);

/// <summary>
/// The event store: streams per council with optimistic concurrency, a gap-free global log,
/// as-at reads, upcasting, per-customer encryption and a tamper-evident hash chain.
/// </summary>
public sealed class EventStore(
    PlatformDatabase database,
    EventTypeRegistry registry,
    PersonalDataProtector protector,
    IEnumerable<IInlineProjection> inlineProjections,
    TimeProvider? time = null)
{
    public static readonly ActivitySource ActivitySource = new("CustomerAccess.Platform");
    public static readonly Meter Meter = new("CustomerAccess.Platform");
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>("customeraccess.events.appended", "{event}");
    private readonly IInlineProjection[] _inline = inlineProjections.ToArray();

    internal const string Columns =
        "position, transaction_id::text as transaction_id_text, tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data::text, metadata::text, occurred_at, recorded_at";

    public PlatformDatabase Database => database;
    public EventTypeRegistry Registry => registry;
    public PersonalDataProtector Protector => protector;
    internal IReadOnlyList<IInlineProjection> InlineProjections => _inline;
    internal TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>Opens a unit of work for one council: appends, reads and inline projections share its transaction.</summary>
    public async Task<EventSession> OpenSessionAsync(string tenant, EventContext context, CancellationToken ct = default)
    {
        var tx = await database.BeginAsync(tenant, ct).ConfigureAwait(false);
        return new EventSession(this, tx, context);
    }

    /// <summary>
    /// Appends events to a stream in a transaction of their own and returns once they are durable:
    /// the store's equivalent of Message DB's write_message. Same checks and rows as
    /// <see cref="EventSession.AppendAsync"/> (expected version, metadata, row-level security,
    /// transaction id, hash chain). When no inline projection handles these events, none carries
    /// personal data and the council has its own pool, this is one statement in one round trip
    /// (autocommit); otherwise it opens a session, appends and commits.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(string tenant, EventContext context, string streamId, long expectedVersion,
        IReadOnlyList<object> events, string? customerId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var append = StreamAppend.Create(this, tenant, context, streamId, expectedVersion, events, customerId);
        if (events.Count > 0 && !append.NeedsKey && database.HasCouncilPool(tenant) && !_inline.Any(p => events.Any(e => p.Handles(e.GetType()))))
        {
            var (connection, _) = await database.OpenTenantConnectionAsync(tenant, ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var activity = ActivitySource.StartActivity("event_store.append");
                activity?.SetTag("customeraccess.stream", streamId);
                activity?.SetTag("customeraccess.event_count", events.Count);
                await using var cmd = append.Command(connection, null);
                var stored = await append.ExecuteAsync(cmd, ct).ConfigureAwait(false);
                CountAppended(tenant, stored.Count);
                database.Notifier.Committed(CommitChannels.Events);
                return stored;
            }
        }
        await using var session = await OpenSessionAsync(tenant, context, ct).ConfigureAwait(false);
        var appended = events.Count == 0 ? [] : await session.AppendAsync(append, ct).ConfigureAwait(false);
        await session.CommitAsync(ct).ConfigureAwait(false);
        return appended;
    }

    /// <summary>
    /// Reads the global log (every council) after a checkpoint, only up to the oldest transaction
    /// still running, so an event committed late is never skipped by a reader that moved on.
    /// The ORDER BY names the table's columns: a bare "transaction_id" would mean the select list's
    /// text cast, which sorts "1001" before "752" and made subscriptions skip events.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(GlobalCheckpoint after, int maxCount, CancellationToken ct = default)
    {
        await using var connection = await database.System.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from es.events e
            where (e.transaction_id, e.position) > ($1::text::xid8, $2)
              and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            order by e.transaction_id, e.position
            limit $3
            """, connection);
        cmd.Parameters.AddWithValue(after.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue(after.Position);
        cmd.Parameters.AddWithValue(maxCount);
        return await ReadEventsAsync(cmd, connection, null, ct).ConfigureAwait(false);
    }

    /// <summary>The global-log checkpoint of one position, to tell whether a reader has passed it.</summary>
    public async Task<GlobalCheckpoint?> CheckpointOfAsync(long position, CancellationToken ct = default)
    {
        await using var cmd = database.System.CreateCommand("select transaction_id::text from es.events where position = $1");
        cmd.Parameters.AddWithValue(position);
        var xid = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return xid is string s ? new GlobalCheckpoint(ulong.Parse(s, System.Globalization.CultureInfo.InvariantCulture), position) : null;
    }

    /// <summary>Recomputes the hash chains of a council (or one of its streams).</summary>
    public async Task<VerifyResult> VerifyAsync(string tenant, string? streamId = null, CancellationToken ct = default)
    {
        await using var cmd = database.System.CreateCommand("select events_checked, first_broken_position from es.verify($1, $2)");
        cmd.Parameters.AddWithValue(tenant);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)streamId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var checkedCount = reader.GetInt64(0);
        long? broken = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        return new VerifyResult(broken is null, checkedCount, broken);
    }

    internal async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(NpgsqlCommand cmd, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var rows = new List<RawEvent>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            // The events of one write share their metadata: parse it once per run of equal text.
            string? lastMetadataText = null;
            EventMetadata? lastMetadata = null;
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var metadataText = reader.GetString(9);
                if (!string.Equals(metadataText, lastMetadataText, StringComparison.Ordinal))
                {
                    lastMetadata = JsonSerializer.Deserialize<EventMetadata>(metadataText, JsonDefaults.Options)!;
                    lastMetadataText = metadataText;
                }
                var data = reader.GetString(8);
                rows.Add(new RawEvent(
                    reader.GetInt64(0),
                    ulong.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                    reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetGuid(5),
                    reader.GetString(6), reader.GetInt32(7), data, PersonalDataProtector.HasEncryptedFields(data),
                    lastMetadata!,
                    reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        var subjects = rows.Where(r => r.Metadata.CustomerId is not null && r.Encrypted)
            .Select(r => (r.Tenant, r.Metadata.CustomerId!)).Distinct().ToList();
        var keys = await protector.LoadKeysAsync(connection, transaction, subjects, ct).ConfigureAwait(false);
        return rows.ConvertAll(r => Materialise(r, keys));
    }

    private StoredEvent Materialise(RawEvent raw, Dictionary<(string, string), byte[]> keys)
    {
        var info = registry.Find(raw.Type);
        object data;
        var encrypted = raw.Encrypted;
        if (info is not null && !encrypted && raw.SchemaVersion == info.Version)
        {
            data = JsonSerializer.Deserialize(raw.Data, info.ClrType, JsonDefaults.Options)!;
        }
        else
        {
            var payload = JsonNode.Parse(raw.Data)!.AsObject();
            if (encrypted && raw.Metadata.CustomerId is { } subject)
                PersonalDataProtector.DecryptFields(payload, keys.GetValueOrDefault((raw.Tenant, subject)), raw.Tenant, subject);
            if (info is null)
            {
                data = payload;
            }
            else
            {
                payload = registry.Upcast(raw.Type, raw.SchemaVersion, info.Version, payload);
                data = payload.Deserialize(info.ClrType, JsonDefaults.Options)!;
            }
        }
        return new StoredEvent
        {
            Position = raw.Position, TransactionId = raw.TransactionId, Tenant = raw.Tenant, StreamId = raw.StreamId,
            StreamVersion = raw.Version, EventId = raw.EventId, EventType = raw.Type, SchemaVersion = info?.Version ?? raw.SchemaVersion,
            Data = data, Metadata = raw.Metadata, OccurredAt = raw.OccurredAt, RecordedAt = raw.RecordedAt,
        };
    }

    internal static void CountAppended(string tenant, int count) =>
        Appended.Add(count, new KeyValuePair<string, object?>("tenant", tenant));

    private sealed record RawEvent(long Position, ulong TransactionId, string Tenant, string StreamId, long Version, Guid EventId,
        string Type, int SchemaVersion, string Data, bool Encrypted, EventMetadata Metadata, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);
}
