using CustomerAccess.Platform.EventStore;
using Npgsql;

namespace CustomerAccess.Platform.Projections;

/// <summary>
/// A read model kept up to date from the global log by a subscription, after the write commits.
/// It runs on the System data source (no RLS: it sees every council), so each row it writes must
/// carry the event's tenant_id itself. Its writes and the checkpoint commit together.
/// </summary>
public interface IProjection
{
    /// <summary>The subscription's name: the checkpoint's key and the lease's name. Never rename casually.</summary>
    string Name { get; }

    Task ApplyAsync(ProjectionBatch batch, CancellationToken ct);

    /// <summary>Clears the read model before a rebuild from position 0 (same transaction as the checkpoint reset).</summary>
    Task ResetAsync(ProjectionBatch batch, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A batch of events in global order and the transaction to project them in.</summary>
public sealed class ProjectionBatch(IReadOnlyList<StoredEvent> events, NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public IReadOnlyList<StoredEvent> Events { get; } = events;
    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);
}
