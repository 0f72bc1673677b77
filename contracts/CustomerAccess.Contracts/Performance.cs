namespace CustomerAccess.Contracts;

/// <summary>
/// What an event adds to the partnership's performance figures (contacts by channel, first-contact
/// resolution, cases, payments, failure demand). The Tenancy module keeps the figures per council
/// and day from the global log. Implement it explicitly so it is not stored with the event.
/// </summary>
public interface IPerformanceFact
{
    PerformanceFact PerformanceFact { get; }
}

/// <param name="ContactChannel">a contact on this channel (counts towards contactsByChannel)</param>
/// <param name="ResolvedAtFirstContact">for a contact: whether it was resolved then and there</param>
/// <param name="PaymentsPence">money taken (negative for a refund)</param>
/// <param name="FailureDemand">a contact caused by a failure to do something right the first time</param>
/// <param name="Demand">for a contact the advisor classified: <see cref="DemandKinds.Value"/> or <see cref="DemandKinds.Failure"/></param>
/// <param name="FailureReason">for failure demand: why (a contact's reason, or the module's own, e.g. a missed bin reported again)</param>
public sealed record PerformanceFact(
    string? ContactChannel = null, bool? ResolvedAtFirstContact = null, int CasesOpened = 0, int CasesResolvedWithinStandard = 0,
    long PaymentsPence = 0, int FailureDemand = 0, string? Demand = null, string? FailureReason = null);

/// <summary>
/// The systems-thinking split the councils' reports ask for ("identifying failure demand so that
/// this can be managed"): value demand is what a resident wants from the council; failure demand
/// is caused by the council not doing something, or not doing it right, the first time.
/// </summary>
public static class DemandKinds
{
    public const string Value = "value";
    public const string Failure = "failure";
    public static readonly IReadOnlyList<string> All = [Value, Failure];
}

/// <summary>
/// Why something was failure demand: the reasons an advisor picks when logging a contact, and the
/// ones modules declare for failure demand they recognise themselves. Shared vocabulary, so the
/// reports can name every reason in words.
/// </summary>
public static class FailureReasons
{
    /// <summary>A resident chasing a missed collection already reported (Waste).</summary>
    public const string MissedBinReportedAgain = "missed-bin-reported-again";

    /// <summary>The reasons an advisor may give for a contact's failure demand.</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> ForContacts =
    [
        ("progress-chasing", "chasing progress on something already asked for"),
        ("not-done", "something we should have done was not done"),
        ("done-wrong", "something was done wrong"),
        ("unclear-information", "our letter, website or advice was not clear"),
        ("complaint-about-service", "a complaint about the service"),
    ];

    public static bool IsContactReason(string? reason) => ForContacts.Any(r => r.Value == reason);

    public static string Describe(string? reason) => reason switch
    {
        null => "no reason given",
        MissedBinReportedAgain => "a missed bin reported again",
        _ => ForContacts.FirstOrDefault(r => r.Value == reason).Text ?? reason,
    };
}

