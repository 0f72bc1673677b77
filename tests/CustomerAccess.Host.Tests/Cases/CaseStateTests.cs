using CustomerAccess.Case.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Host.Tests.Cases;

/// <summary>The case decisions without a database: given these events, the case is in this state.</summary>
public class CaseStateTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static StoredEvent E(long version, object data, string actor, DateTimeOffset at) => new()
    {
        Position = version, TransactionId = 1, Tenant = "cheltenham", StreamId = "case-1", StreamVersion = version, EventId = Guid.NewGuid(),
        EventType = "x", SchemaVersion = 1, Data = data, OccurredAt = at, RecordedAt = at,
        Metadata = new EventMetadata { Tenant = "cheltenham", Actor = actor, CustomerId = "cust-1" },
    };

    private static CaseRaised Raised(string type = "enquiry", string? safeguarding = null) =>
        new("1", "CHE-C-000001", "cust-1", type, "waste", "Summary", null, Monday.AddDays(7), null, safeguarding, safeguarding is null ? null : "safeguarding");

    [Test]
    public void No_events_is_no_case() => Assert.That(CaseState.From([]), Is.Null);

    [Test]
    public void Resolving_the_same_day_by_the_raiser_without_escalation_is_first_contact_resolution()
    {
        var state = CaseState.From([E(1, Raised(), "advisor", Monday)])!;
        Assert.Multiple(() =>
        {
            Assert.That(state.IsFirstContactResolution("advisor", Monday.AddHours(3)), Is.True);
            Assert.That(state.IsFirstContactResolution("someone.else", Monday.AddHours(3)), Is.False);
            Assert.That(state.IsFirstContactResolution("advisor", Monday.AddDays(1)), Is.False);
        });
        var escalated = CaseState.From([E(1, Raised(), "advisor", Monday), E(2, new CaseEscalated("CHE-C-000001", "waste", "r", false), "advisor", Monday)])!;
        Assert.That(escalated.IsFirstContactResolution("advisor", Monday.AddHours(1)), Is.False);
    }

    [Test]
    public void The_lifecycle_folds_to_status_team_and_history()
    {
        var state = CaseState.From(
        [
            E(1, Raised("complaint"), "advisor", Monday),
            E(2, new CaseEscalated("CHE-C-000001", "waste", "crew", false), "advisor", Monday.AddMinutes(5)),
            E(3, new CaseStarted("CHE-C-000001", "waste", false), "waste.officer", Monday.AddHours(1)),
            E(4, new CaseResolved("CHE-C-000001", "done", false, true, false), "waste.officer", Monday.AddHours(2)),
            E(5, new ComplaintEscalated("CHE-C-000001", 2, "unhappy", Monday.AddDays(28), "complaints", false), "advisor", Monday.AddDays(1)),
        ])!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Status, Is.EqualTo(CaseStatuses.Escalated));
            Assert.That(state.Team, Is.EqualTo("complaints"));
            Assert.That(state.Stage, Is.EqualTo(2));
            Assert.That(state.DueAt, Is.EqualTo(Monday.AddDays(28)));
            Assert.That(state.IsResolved, Is.False);
            Assert.That(state.Version, Is.EqualTo(5));
            Assert.That(state.History.Select(h => h.Action), Is.EqualTo(new[] { "raised", "escalated", "started", "resolved", "complaint-escalated" }));
            Assert.That(state.History.Select(h => h.Actor), Is.EqualTo(new[] { "advisor", "advisor", "waste.officer", "waste.officer", "advisor" }));
        });
    }

    [Test]
    public void A_safeguarding_concern_restricts_the_case_and_its_timeline_says_only_restricted()
    {
        var raisedFlagged = Raised(safeguarding: "child");
        var state = CaseState.From([E(1, raisedFlagged, "advisor", Monday)])!;
        Assert.Multiple(() =>
        {
            Assert.That(state.Restricted, Is.True);
            Assert.That(state.Team, Is.EqualTo("safeguarding"));
            Assert.That(((ITimelineEntry)raisedFlagged).TimelineSummary, Is.EqualTo("Restricted case"));
            Assert.That(((ITimelineEntry)raisedFlagged).TimelineReference, Is.Null);
            Assert.That(((ITimelineEntry)new CaseNoteAdded("CHE-C-000001", "secret", true)).TimelineSummary, Is.EqualTo("Restricted case"));
            Assert.That(((ITimelineEntry)new CaseNoteAdded("CHE-C-000001", "secret", false)).TimelineSummary, Is.EqualTo("Note added to case"));
        });
    }
}
