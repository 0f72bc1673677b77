using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.PersonalData;
using CustomerAccess.Platform.Submissions;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// One council's unit of work. Appends, inline projections and anything else the handler writes
/// through <see cref="Db"/> commit together or not at all.
/// </summary>
public sealed class EventSession : IAsyncDisposable
{
    private readonly EventStore _store;
    private bool _committed;

    internal EventSession(EventStore store, TenantTransaction db, EventContext context)
    {
        _store = store;
        Db = db;
        Context = context;
    }

    public string Tenant => Db.Tenant;
    public TenantTransaction Db { get; }
    public EventContext Context { get; }

    /// <summary>The highest global position this session appended, for the X-Event-Position header.</summary>
    public long? LastPosition { get; private set; }

    /// <summary>Everything appended in this session, in order (for the outbox and tests).</summary>
    public List<StoredEvent> Appended { get; } = [];

    /// <summary>
    /// Appends events to a stream if it is at <paramref name="expectedVersion"/>; otherwise throws
    /// <see cref="ConcurrencyException"/>. Fields marked [PersonalData] are encrypted with
    /// <paramref name="customerId"/>'s own key.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<object> events,
        string? customerId = null, CancellationToken ct = default)
    {
        if (events.Count == 0)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
            return [];
        }
        return await AppendAsync(StreamAppend.Create(_store, Tenant, Context, streamId, expectedVersion, events, customerId), ct).ConfigureAwait(false);
    }

    /// <summary>Appends what <see cref="EventStore.AppendAsync"/> already prepared, so it is not serialised twice.</summary>
    internal async Task<IReadOnlyList<StoredEvent>> AppendAsync(StreamAppend append, CancellationToken ct)
    {
        if (append.NeedsKey)
            append.Encrypt(await _store.Protector.GetOrCreateKeyAsync(Db.Connection, Db.Transaction, Tenant, append.Metadata.CustomerId!, ct).ConfigureAwait(false));

        using var activity = EventStore.ActivitySource.StartActivity("event_store.append");
        activity?.SetTag("customeraccess.stream", append.StreamId);
        activity?.SetTag("customeraccess.event_count", append.Count);
        await using var cmd = append.Command(Db.Connection, Db.Transaction);
        var stored = await append.ExecuteAsync(cmd, ct).ConfigureAwait(false);

        LastPosition = stored[^1].Position;
        Appended.AddRange(stored);
        EventStore.CountAppended(Tenant, stored.Count);
        foreach (var projection in _store.InlineProjections)
            await projection.ApplyAsync(this, stored, ct).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Reads a stream from the start, optionally only what was known as at a time or position.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, AsAt? asAt = null, CancellationToken ct = default)
    {
        await using var cmd = Db.Command($"""
            select {EventStore.Columns} from es.events
            where tenant_id = $1 and stream_id = $2
              and ($3::timestamptz is null or recorded_at <= $3)
              and ($4::bigint is null or position <= $4)
            order by stream_version
            """);
        cmd.Parameters.AddWithValue(Tenant);
        cmd.Parameters.AddWithValue(streamId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)asAt?.Time ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)asAt?.Position ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await _store.ReadEventsAsync(cmd, Db.Connection, Db.Transaction, ct).ConfigureAwait(false);
    }

    /// <summary>Reads this council's events about one customer, across every stream, in global order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadCustomerEventsAsync(string customerId, AsAt? asAt = null, CancellationToken ct = default)
    {
        // es.customer_events keeps to this transaction's council and can use the customer index
        // that row-level security would otherwise rule out (Schema/0003).
        await using var cmd = Db.Command($"select {EventStore.Columns} from es.customer_events($1, $2, $3) e order by position");
        cmd.Parameters.AddWithValue(customerId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)asAt?.Time ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)asAt?.Position ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await _store.ReadEventsAsync(cmd, Db.Connection, Db.Transaction, ct).ConfigureAwait(false);
    }

    /// <summary>The stream's current version in this council, or 0 when it does not exist here.</summary>
    public async Task<long> StreamVersionAsync(string streamId, CancellationToken ct = default)
    {
        await using var cmd = Db.Command("select coalesce(max(stream_version), 0) from es.events where tenant_id = $1 and stream_id = $2");
        cmd.Parameters.AddWithValue(Tenant);
        cmd.Parameters.AddWithValue(streamId);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Erases a customer's key: their personal fields become unreadable everywhere.</summary>
    public Task<bool> EraseSubjectAsync(string customerId, CancellationToken ct = default) =>
        PersonalDataProtector.EraseKeyAsync(Db.Connection, Db.Transaction, Tenant, customerId, ct);

    private string? _claimedKey;
    private bool _submissionCompleted;

    /// <summary>
    /// Claims a one-time submission key (<see cref="SubmissionKeys"/>) for <paramref name="operation"/> in this
    /// session's transaction; call it before writing anything. Null when there is no key or this is its first
    /// use: the caller records the thing and gives <see cref="CompleteSubmissionAsync"/> its result before
    /// committing. Otherwise the result an earlier request with this key committed: the caller records
    /// nothing and answers with it. The same key for another operation or request (another fingerprint) is a
    /// 409. Two requests racing with one key take turns on the key's row: the second waits until the first
    /// commits (then gets its result) or rolls back (then claims the key itself).
    /// </summary>
    public async Task<string?> ClaimSubmissionAsync(string? key, string operation, string fingerprint, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        var k = SubmissionKeys.Normalise(key, _store.Time.GetUtcNow());
        if (k is null) return null;
        if (_claimedKey is not null || _submissionCompleted) throw new InvalidOperationException("A session claims one submission key.");
        await using (var claim = Db.Command(
            "insert into platform.submission_keys (tenant_id, key, operation, fingerprint) values ($1, $2, $3, $4) on conflict do nothing"))
        {
            claim.Parameters.AddWithValue(Tenant);
            claim.Parameters.AddWithValue(k);
            claim.Parameters.AddWithValue(operation);
            claim.Parameters.AddWithValue(fingerprint);
            if (await claim.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
            {
                _claimedKey = k;
                return null;
            }
        }
        // The row committed with its result (a racing claim that rolled back would have let ours in).
        return await SubmissionKeys.EarlierAsync(Db, k, operation, fingerprint, ct).ConfigureAwait(false) ?? throw SubmissionKeys.Reused();
    }

    /// <summary>Remembers what the claimed key's request recorded (an id the module understands); a no-op without a claim.</summary>
    public async Task CompleteSubmissionAsync(string result, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(result);
        if (_claimedKey is null) return;
        await using var cmd = Db.Command("update platform.submission_keys set result = $3 where tenant_id = $1 and key = $2");
        cmd.Parameters.AddWithValue(Tenant);
        cmd.Parameters.AddWithValue(_claimedKey);
        cmd.Parameters.AddWithValue(result);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        _claimedKey = null;
        _submissionCompleted = true;
    }

    /// <summary>Makes everything durable; a write is acknowledged only after this returns.</summary>
    public async Task<long?> CommitAsync(CancellationToken ct = default)
    {
        if (_claimedKey is not null)
            throw new InvalidOperationException("A submission key was claimed but given no result: call CompleteSubmissionAsync before committing.");
        await Db.CommitAsync(ct).ConfigureAwait(false);
        _committed = true;
        _store.Database.Notifier.Committed((Appended.Count > 0 ? CommitChannels.Events : CommitChannels.None)
            | (MessagesSent ? CommitChannels.Outbox : CommitChannels.None));
        return LastPosition;
    }

    public bool IsCommitted => _committed;

    /// <summary>Set by the outbox when this session queued a message, so its commit wakes the dispatcher.</summary>
    internal bool MessagesSent { get; set; }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
