using CustomerAccess.Contracts;
using CustomerAccess.Platform.Projections;
using NpgsqlTypes;

namespace CustomerAccess.Customer.Timeline;

/// <summary>
/// The single customer timeline: a checkpointed subscription to the global log that gathers every
/// module's events carrying a customer id and saying how they read (ITimelineEntry, in contracts).
/// Inserts are idempotent on (council, customer, position), so a replay after a crash adds nothing twice.
/// </summary>
internal sealed class TimelineProjection : IProjection
{
    public string Name => "customer-timeline";

    public async Task ApplyAsync(ProjectionBatch batch, CancellationToken ct)
    {
        var rows = batch.Events.Select(e => (Event: e, Entry: TimelineEntries.From(e))).Where(x => x.Entry is not null).ToList();
        if (rows.Count == 0) return;
        await using var cmd = batch.Command("""
            insert into customer.timeline (tenant_id, customer_id, position, occurred_at, module, type, summary, channel, actor, reference, summary_after_erasure)
            select * from unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
            on conflict (tenant_id, customer_id, position) do nothing
            """);
        cmd.Parameters.AddWithValue(rows.Select(r => r.Event.Tenant).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Event.Metadata.CustomerId!).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.Position).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.OccurredAt).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.Module).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.Type).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.Summary).ToArray());
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = rows.Select(r => r.Entry!.Channel).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(rows.Select(r => r.Entry!.Actor).ToArray());
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = rows.Select(r => r.Entry!.Reference).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter
        {
            Value = rows.Select(r => ((ITimelineEntry)r.Event.Data).TimelineSummaryAfterErasure).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        // An erasure takes the personal data out of the summaries already written, too.
        foreach (var erased in rows.Where(r => r.Event.Data is Domain.CustomerErased))
        {
            await using var forget = batch.Command("""
                update customer.timeline set summary = summary_after_erasure, summary_after_erasure = null
                where tenant_id = $1 and customer_id = $2 and summary_after_erasure is not null
                """);
            forget.Parameters.AddWithValue(erased.Event.Tenant);
            forget.Parameters.AddWithValue(erased.Event.Metadata.CustomerId!);
            await forget.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task ResetAsync(ProjectionBatch batch, CancellationToken ct)
    {
        await using var cmd = batch.Command("delete from customer.timeline");
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
