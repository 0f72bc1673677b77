using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Case.Domain;

/// <summary>One step of a case's history as the API shows it.</summary>
internal sealed record CaseStep(string Action, string Actor, DateTimeOffset At, string? Team, string? Details);

/// <summary>A case as its events tell it: the decisions are taken on this, never on the read model.</summary>
internal sealed class CaseState
{
    public static string StreamId(string id) => CustomerAccess.Contracts.CaseStreams.For(id);

    public required string Id { get; init; }
    public required string Reference { get; init; }
    public required string CustomerId { get; init; }
    public required string Type { get; init; }
    public required string Service { get; init; }
    public string? Summary { get; private set; }
    public string? Details { get; private set; }
    public string Status { get; private set; } = CaseStatuses.Open;
    public string? Team { get; private set; }
    public int? Stage { get; private set; }
    public string? Member { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required string RaisedBy { get; init; }
    public DateTimeOffset DueAt { get; private set; }
    public List<string> Safeguarding { get; } = [];
    public bool Restricted => Safeguarding.Count > 0;
    public bool EverEscalated { get; private set; }
    public bool EverReopened { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    /// <summary>Resolved at least once (it may since have been reopened or escalated).</summary>
    public bool EverResolved { get; private set; }
    public bool ResolvedAtFirstContact { get; private set; }
    public bool? ResolvedWithinStandard { get; private set; }
    public string? Outcome { get; private set; }
    public long Version { get; private set; }
    public List<CaseStep> History { get; } = [];
    /// <summary>(works order id, status) pairs already recorded: a repeated update is ignored.</summary>
    public HashSet<(string WorksOrderId, string Status)> WorksOrderUpdates { get; } = [];

    public bool IsResolved => Status == CaseStatuses.Resolved;

    /// <summary>Folds a case's events; null when the stream is empty (no such case in this council).</summary>
    public static CaseState? From(IReadOnlyList<StoredEvent> events)
    {
        CaseState? state = null;
        foreach (var e in events)
        {
            if (e.Data is CaseRaised r)
            {
                state = new CaseState
                {
                    Id = r.CaseId, Reference = r.Reference, CustomerId = r.CustomerId, Type = r.Type, Service = r.Service,
                    Member = r.Member, RaisedAt = e.OccurredAt, RaisedBy = e.Metadata.Actor,
                };
                state.Summary = r.Summary;
                state.Details = r.Details;
                state.DueAt = r.DueAt;
                state.Stage = r.Type == CaseTypes.Complaint ? 1 : null;
                state.Team = r.Team;
                if (r.Safeguarding is not null) state.Safeguarding.Add(r.Safeguarding);
                state.Step("raised", e, r.Team, r.Details is null ? r.Summary : $"{r.Summary}\n\n{r.Details}");
                if (r.Safeguarding is not null) state.Step("safeguarding-flagged", e, r.Team, $"{r.Safeguarding} safeguarding concern");
            }
            else if (state is not null)
            {
                state.Apply(e);
            }
            if (state is not null) state.Version = e.StreamVersion;
        }
        return state;
    }

    /// <summary>Applies one more event of this case (after an append, say).</summary>
    public void Apply(StoredEvent e)
    {
        Version = e.StreamVersion;
        switch (e.Data)
        {
            case CaseEscalated x:
                Team = x.Team;
                EverEscalated = true;
                Status = CaseStatuses.Escalated;
                Step("escalated", e, x.Team, x.Reason);
                break;
            case CaseStarted:
                Status = CaseStatuses.InProgress;
                Step("started", e, Team, null);
                break;
            case CaseNoteAdded n:
                Step("note-added", e, Team, n.Text);
                break;
            case CaseResolved x:
                Status = CaseStatuses.Resolved;
                EverResolved = true;
                ResolvedAt = e.OccurredAt;
                ResolvedAtFirstContact = x.ResolvedAtFirstContact;
                ResolvedWithinStandard = x.WithinStandard;
                Outcome = x.Outcome;
                Step("resolved", e, Team, x.Outcome);
                break;
            case CaseReopened x:
                Status = CaseStatuses.Reopened;
                DueAt = x.DueAt;
                EverReopened = true;
                ResolvedAt = null;
                ResolvedAtFirstContact = false;
                ResolvedWithinStandard = null;
                Step("reopened", e, Team, x.Reason);
                break;
            case ComplaintEscalated x:
                Stage = x.Stage;
                DueAt = x.DueAt;
                Team = x.Team;
                EverEscalated = true;
                Status = CaseStatuses.Escalated;
                ResolvedAt = null;
                ResolvedWithinStandard = null;
                Step("complaint-escalated", e, x.Team, x.Reason);
                break;
            case CaseWorksOrderUpdated x:
                WorksOrderUpdates.Add((x.WorksOrderId, x.Status));
                Step("works-order-updated", e, Team, x.Status);
                break;
            case SafeguardingFlagged x:
                if (!Safeguarding.Contains(x.Concern)) Safeguarding.Add(x.Concern);
                Team = Teams.Safeguarding;
                Step("safeguarding-flagged", e, Team, $"{x.Concern} safeguarding concern: {x.Reason}");
                break;
        }
    }

    private void Step(string action, StoredEvent e, string? team, string? details) =>
        History.Add(new CaseStep(action, e.Metadata.Actor, e.OccurredAt, team, details));

    /// <summary>
    /// Resolved at first contact: by the advisor who raised it, the same (UTC) day, never escalated or reopened.
    /// </summary>
    public bool IsFirstContactResolution(string actor, DateTimeOffset at) =>
        actor == RaisedBy && DateOnly.FromDateTime(at.UtcDateTime) == DateOnly.FromDateTime(RaisedAt.UtcDateTime) && !EverEscalated && !EverReopened;
}
