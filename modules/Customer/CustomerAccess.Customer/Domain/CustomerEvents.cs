using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Customer.Domain;

// A customer's stream is "customer-{id}". Names, contact details, date of birth, address, a contact's
// reason and notes are [PersonalData]: encrypted with the customer's own key, so erasure is a key deletion.
// Timeline summaries name what happened, never the personal values. Personal fields are nullable
// because they read as null once the customer is erased.

[EventType("customer.registered")]
internal sealed record CustomerRegistered(
    string CustomerId,
    [property: PersonalData] string? FirstName,
    [property: PersonalData] string? LastName,
    [property: PersonalData] string? Email,
    [property: PersonalData] string? Phone,
    [property: PersonalData] DateOnly? DateOfBirth,
    [property: PersonalData] long? Uprn) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => "Customer record created";
}

/// <summary>
/// Right after <see cref="CustomerRegistered"/> when the details came from a customer another council shares
/// with this one (data-sharing agreement): where they came from, by council and customer id only (no
/// personal data, so the entry outlives an erasure of either record).
/// </summary>
[EventType("customer.registered-from-shared-identity")]
internal sealed record CustomerRegisteredFromSharedIdentity(string SourceCouncil, string SourceCouncilName, string SourceCustomerId) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => $"Details taken from {SourceCouncilName}'s record under a data-sharing agreement";
    public string? TimelineReference => $"{SourceCouncil}/{SourceCustomerId}";
}

[EventType("customer.details-changed")]
internal sealed record CustomerDetailsChanged(
    IReadOnlyList<string> Changed,
    [property: PersonalData] string? Email,
    [property: PersonalData] string? Phone,
    [property: PersonalData] long? Uprn) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => "Change of details: " + string.Join(", ", Changed.Select(c => c == "uprn" ? "address" : c));
}

[EventType("customer.contact-logged")]
internal sealed record ContactLogged(
    string ContactId,
    string Channel,
    // Personal since session 8: advisors type the reason freely ("Mrs Smith's bin"), so it goes with the
    // customer's key like the notes. Contacts logged before then keep a reason in the clear.
    [property: PersonalData] string? Reason,
    [property: PersonalData] string? Notes,
    bool ResolvedAtFirstContact,
    string? Demand = null,
    string? FailureReason = null) : ITimelineEntry, IPerformanceFact
{
    // Demand and FailureReason came later: contacts logged before them are simply unclassified.
    PerformanceFact IPerformanceFact.PerformanceFact =>
        new(Channel, ResolvedAtFirstContact, FailureDemand: Demand == DemandKinds.Failure ? 1 : 0, Demand: Demand, FailureReason: FailureReason);
    public string TimelineModule => TimelineModules.Customer;
    // Not stored with the event: it quotes the reason, which is stored encrypted.
    [System.Text.Json.Serialization.JsonIgnore]
    public string TimelineSummary => $"{ChannelName(Channel)} contact: {Reason ?? "(reason erased)"}{(ResolvedAtFirstContact ? " (resolved at first contact)" : "")}"
        + (Demand == DemandKinds.Failure ? $"; failure demand ({FailureReasons.Describe(FailureReason)})" : "");

    string? ITimelineEntry.TimelineSummaryAfterErasure => Reason is null ? null : (this with { Reason = null }).TimelineSummary;

    private static string ChannelName(string channel) => channel switch
    {
        "face-to-face" => "Face-to-face",
        "automated-phone" => "Automated phone",
        "video" => "Video access point",
        _ => char.ToUpperInvariant(channel[0]) + channel[1..],
    };
}

[EventType("customer.flag-set")]
internal sealed record CustomerFlagSet(
    string FlagId,
    string Kind,
    [property: PersonalData] string? Details,
    string Reason,
    DateOnly? ReviewOn) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => $"Flag set: {CustomerFlags.Describe(Kind)}";
}

[EventType("customer.flag-removed")]
internal sealed record CustomerFlagRemoved(string FlagId, string Kind, string Reason) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => $"Flag removed: {CustomerFlags.Describe(Kind)}";
}

/// <summary>On the surviving record: the duplicate's history now belongs here.</summary>
[EventType("customer.merged")]
internal sealed record CustomerMerged(string DuplicateId) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => "Duplicate record merged into this one";
    public string? TimelineReference => DuplicateId;
}

/// <summary>On the duplicate: it answers 404 with mergedInto from now on.</summary>
[EventType("customer.merged-into")]
internal sealed record CustomerMergedInto(string SurvivorId);

[EventType("customer.erased")]
internal sealed record CustomerErased(string Reason) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Customer;
    public string TimelineSummary => "Personal data erased";
}

/// <summary>The flags every advisor must see first.</summary>
internal static class CustomerFlags
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["vulnerable"] = "Vulnerable customer",
        ["large-print"] = "Needs large print",
        ["interpreter"] = "Needs an interpreter",
        ["bsl"] = "Uses British Sign Language",
        ["assisted-collection"] = "Assisted bin collection",
        ["abusive-contact"] = "Warning: abusive contact",
    };

    public static string Describe(string kind) => Kinds.GetValueOrDefault(kind, kind);
}
