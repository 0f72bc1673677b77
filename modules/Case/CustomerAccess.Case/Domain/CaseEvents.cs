using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Case.Domain;

// A case's stream is "case-{id}", appended with the case's customer id, so every event sits on the
// customer's timeline and its [PersonalData] fields (summary, details, reasons, notes, outcome) are
// encrypted with the customer's own key. Timeline summaries never carry that free text, and once a
// case is restricted (safeguarding) they say only "Restricted case".

[EventType("case.raised")]
internal sealed record CaseRaised(
    string CaseId,
    string Reference,
    string CustomerId,
    string Type,
    string Service,
    [property: PersonalData] string? Summary,
    [property: PersonalData] string? Details,
    DateTimeOffset DueAt,
    string? Member,
    string? Safeguarding,
    string? Team) : ITimelineEntry, ICaseOnSingleView, IPerformanceFact
{
    PerformanceFact IPerformanceFact.PerformanceFact => new(CasesOpened: 1);
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, CaseId, Type, Service, Team is null ? CaseStatuses.Open : CaseStatuses.Escalated, DueAt,
        Safeguarding is not null);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Safeguarding is not null ? CaseText.Restricted : $"Case {Reference} raised: {CaseText.TypeName(Type)} ({Service})";
    public string? TimelineReference => Safeguarding is not null ? null : Reference;
}

[EventType("case.escalated")]
internal sealed record CaseEscalated(string Reference, string Team, [property: PersonalData] string? Reason, bool Restricted) : ITimelineEntry, ICaseOnSingleView
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Status: CaseStatuses.Escalated);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : $"Case escalated to {Team} team";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.started")]
internal sealed record CaseStarted(string Reference, string? Team, bool Restricted) : ITimelineEntry, ICaseOnSingleView
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Status: CaseStatuses.InProgress);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : "Case work started";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.note-added")]
internal sealed record CaseNoteAdded(string Reference, [property: PersonalData] string? Text, bool Restricted) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : "Note added to case";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.resolved")]
internal sealed record CaseResolved(
    string Reference,
    [property: PersonalData] string? Outcome,
    bool ResolvedAtFirstContact,
    bool WithinStandard,
    bool Restricted,
    bool Again = false) : ITimelineEntry, ICaseOnSingleView, IPerformanceFact
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Status: CaseStatuses.Resolved);
    // Again: resolved once more after a reopening or a complaint's escalation. A case counts once
    // (its first resolution), so the figure can never exceed the cases opened.
    PerformanceFact IPerformanceFact.PerformanceFact => new(CasesResolvedWithinStandard: WithinStandard && !Again ? 1 : 0);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : ResolvedAtFirstContact ? "Case resolved at first contact" : "Case resolved";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.reopened")]
internal sealed record CaseReopened(string Reference, [property: PersonalData] string? Reason, DateTimeOffset DueAt, bool Restricted) : ITimelineEntry, ICaseOnSingleView
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Status: CaseStatuses.Reopened, DueAt: DueAt);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : "Case reopened";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.complaint-escalated")]
internal sealed record ComplaintEscalated(string Reference, int Stage, [property: PersonalData] string? Reason, DateTimeOffset DueAt, string Team, bool Restricted)
    : ITimelineEntry, ICaseOnSingleView
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Status: CaseStatuses.Escalated, DueAt: DueAt);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : $"Complaint escalated to stage {Stage}";
    public string? TimelineReference => Restricted ? null : Reference;
}

[EventType("case.safeguarding-flagged")]
internal sealed record SafeguardingFlagged(string Reference, string Concern, [property: PersonalData] string? Reason) : ITimelineEntry, ICaseOnSingleView
{
    CaseChange ICaseOnSingleView.CaseChange => new(Reference, Restricted: true);
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => CaseText.Restricted;
    public string? TimelineReference => null;
}

/// <summary>
/// Waste reported progress on a works order raised for this case (contracts' WorksOrderProgress):
/// ids and codes only, no free text. Appended by the system (the message handler).
/// </summary>
[EventType("case.works-order-updated")]
internal sealed record CaseWorksOrderUpdated(string Reference, string WorksOrderId, string Kind, string Status, string? ContractorReference, bool Restricted)
    : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Case;
    public string TimelineSummary => Restricted ? CaseText.Restricted : $"Works order for case {Reference}: {CaseText.WorksOrderStatus(Status)}";
    public string? TimelineReference => Restricted ? null : Reference;
}

internal static class CaseText
{
    public static string WorksOrderStatus(string status) => status switch
    {
        "raised" => "raised",
        "sent" => "sent to the contractor",
        "accepted" => "accepted by the contractor",
        "completed" => "completed",
        "could-not-complete" => "could not be completed",
        "cancelled" => "cancelled",
        _ => "status changed",
    };


    public const string Restricted = "Restricted case";

    public static string TypeName(string type) => type switch
    {
        CaseTypes.ServiceRequest => "service request",
        CaseTypes.MemberEnquiry => "member enquiry",
        _ => type,
    };
}
