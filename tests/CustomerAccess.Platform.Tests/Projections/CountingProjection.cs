using CustomerAccess.Platform.Projections;
using CustomerAccess.Platform.Tests.Messaging;
using CustomerAccess.Testing;

namespace CustomerAccess.Platform.Tests.Projections;

/// <summary>
/// Counts how many times each event was applied, in a table keyed by event id: any loss shows as
/// a missing row, any double effect as applied &gt; 1.
/// </summary>
internal sealed class CountingProjection(string table, string name = "counting") : IProjection
{
    private int _batches;

    public string Name { get; } = name;
    public TimeSpan DelayPerBatch { get; set; }
    /// <summary>Throws after writing its rows on this batch number (once), to prove the batch rolls back.</summary>
    public int? FailOnBatch { get; set; }
    public int Resets { get; private set; }

    public static async Task<string> CreateTableAsync(TestDatabase db)
    {
        var table = "test_projection_" + Guid.NewGuid().ToString("N")[..8];
        await TestSql.ExecAsAdminAsync(db, $"""
            create table public.{table} (tenant_id text not null, event_id uuid primary key, position bigint not null, applied int not null);
            grant select, insert, update, delete on public.{table} to customeraccess_system;
            """);
        return "public." + table;
    }

    public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
    {
        var number = Interlocked.Increment(ref _batches);
        foreach (var e in batch.Events)
        {
            await using var cmd = batch.Command($"""
                insert into {table} (tenant_id, event_id, position, applied) values ($1, $2, $3, 1)
                on conflict (event_id) do update set applied = {table}.applied + 1
                """);
            cmd.Parameters.AddWithValue(e.Tenant);
            cmd.Parameters.AddWithValue(e.EventId);
            cmd.Parameters.AddWithValue(e.Position);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (DelayPerBatch > TimeSpan.Zero) await Task.Delay(DelayPerBatch, ct);
        if (FailOnBatch == number) throw new InvalidOperationException("projection failed half way");
    }

    public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
    {
        Resets++;
        await using var cmd = batch.Command($"delete from {table}");
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
