using CustomerAccess.Case.Domain;
using CustomerAccess.Case.Knowledge;
using CustomerAccess.Platform.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CustomerAccess.Case.ReadModels;

/// <summary>
/// Keeps cases.cases (queues, member lists, reports) and cases.knowledge in the same transaction as
/// the events. No free text reaches cases.cases: it would outlive the customer's erasure.
/// One SQL statement per command (positional parameters allow no more).
/// </summary>
internal sealed class CaseProjection : IInlineProjection
{
    public async Task ApplyAsync(EventSession session, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            if (e.StreamId.StartsWith(KnowledgeArticles.StreamPrefix, StringComparison.Ordinal))
            {
                if (e.Data is KnowledgeArticleSaved k)
                    await Exec(session, """
                        insert into cases.knowledge (tenant_id, id, kind, service, title, body, updated_at, updated_by, version)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        on conflict (tenant_id, id) do update set kind = excluded.kind, service = excluded.service, title = excluded.title,
                          body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = excluded.version
                        """, ct, session.Tenant, k.ArticleId, k.Kind, k.Service, k.Title, k.Body, e.OccurredAt, e.Metadata.Actor, e.StreamVersion)
                        .ConfigureAwait(false);
                continue;
            }
            if (!e.StreamId.StartsWith("case-", StringComparison.Ordinal)) continue;
            var id = e.StreamId["case-".Length..];
            switch (e.Data)
            {
                case CaseRaised r:
                    await Exec(session, """
                        insert into cases.cases (tenant_id, id, reference, customer_id, type, service, status, team, stage, member, restricted,
                          safeguarding, raised_at, raised_by, due_at, updated_at, version)
                        values ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10, $11, $12, $13, $14, $12, $15)
                        """, ct, session.Tenant, id, r.Reference, r.CustomerId, r.Type, r.Service, r.Team,
                        r.Type == CaseTypes.Complaint ? 1 : null, r.Member, r.Safeguarding is not null,
                        r.Safeguarding is null ? Array.Empty<string>() : new[] { r.Safeguarding }, e.OccurredAt, e.Metadata.Actor, r.DueAt,
                        e.StreamVersion).ConfigureAwait(false);
                    break;
                case CaseEscalated x:
                    await Update(session, e, id, "status = 'escalated', team = $5, ever_escalated = true", ct, x.Team).ConfigureAwait(false);
                    break;
                case CaseStarted:
                    await Update(session, e, id, "status = 'in-progress'", ct).ConfigureAwait(false);
                    break;
                case CaseNoteAdded or CaseWorksOrderUpdated:
                    await Update(session, e, id, "status = status", ct).ConfigureAwait(false);
                    break;
                case CaseResolved x:
                    await Update(session, e, id,
                        "status = 'resolved', resolved_at = $3, resolved_by = $5, resolved_at_first_contact = $6, resolved_within_standard = $7", ct,
                        e.Metadata.Actor, x.ResolvedAtFirstContact, x.WithinStandard).ConfigureAwait(false);
                    break;
                case CaseReopened x:
                    await Update(session, e, id,
                        "status = 'reopened', due_at = $5, resolved_at = null, resolved_by = null, resolved_at_first_contact = false, resolved_within_standard = null",
                        ct, x.DueAt).ConfigureAwait(false);
                    break;
                case ComplaintEscalated x:
                    await Update(session, e, id,
                        "status = 'escalated', stage = $5, due_at = $6, team = $7, ever_escalated = true, resolved_at = null, resolved_by = null, resolved_within_standard = null",
                        ct, x.Stage, x.DueAt, x.Team).ConfigureAwait(false);
                    break;
                case SafeguardingFlagged x:
                    await Update(session, e, id,
                        "restricted = true, team = 'safeguarding', safeguarding = case when $5 = any(safeguarding) then safeguarding else safeguarding || $5 end",
                        ct, x.Concern).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static Task Update(EventSession session, StoredEvent e, string id, string set, CancellationToken ct, params object?[] extra) =>
        Exec(session, $"update cases.cases set {set}, updated_at = $3, version = $4 where tenant_id = $1 and id = $2", ct,
            [session.Tenant, id, e.OccurredAt, e.StreamVersion, .. extra]);

    private static async Task Exec(EventSession session, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = session.Db.Command(sql);
        foreach (var arg in args)
            cmd.Parameters.Add(arg is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = arg });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
