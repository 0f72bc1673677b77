namespace CustomerAccess.Platform.Messaging;

public sealed record DeadLetter(long Id, string Tenant, Guid MessageId, string MessageType, int Attempts, string Error,
    DateTimeOffset CreatedAt, DateTimeOffset DeadAt);

/// <summary>Parked messages: list them, send one back to the outbox (handlers that already took it skip it).</summary>
public sealed class DeadLetters(EventStore.EventStore store)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit = 100, CancellationToken ct = default)
    {
        await using var cmd = store.Database.System.CreateCommand("""
            select id, tenant_id, message_id, message_type, attempts, error, created_at, dead_at
            from platform.dead_letters where retried_at is null order by id limit $1
            """);
        cmd.Parameters.AddWithValue(limit);
        var list = new List<DeadLetter>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new DeadLetter(reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    /// <summary>Requeues a dead letter with a fresh attempt count; false when there is no such open dead letter.</summary>
    public async Task<bool> RetryAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = store.Database.System.CreateCommand("""
            with retried as (
              update platform.dead_letters set retried_at = now() where id = $1 and retried_at is null
              returning tenant_id, message_id, message_type, payload, correlation_id, causation_id, trace_parent, trace_state, created_at, sent_by)
            insert into platform.outbox (tenant_id, message_id, message_type, payload, correlation_id, causation_id, trace_parent, trace_state, created_at, sent_by)
            select * from retried
            """);
        cmd.Parameters.AddWithValue(id);
        var requeued = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        if (requeued) store.Database.Notifier.Committed(CustomerAccess.Platform.Database.CommitChannels.Outbox);
        return requeued;
    }
}
