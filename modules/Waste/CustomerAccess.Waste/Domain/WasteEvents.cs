using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Waste.Domain;

// A works order's stream is "works-order-{id}". Events about a customer carry the customer id in
// their metadata and read on the timeline without personal data: the property's UPRN (which, tied
// to a customer, says where they live) is [PersonalData] on events and never in a summary.
// MediaUrl (optional; null on events recorded before it was kept): the link to the reporter's photo
// that an Open311 site sent. [PersonalData] where there is a customer: a photo of a home or a
// person, shredded with the reporter; never in a summary, never logged.

/// <summary>A resident reported a missed collection and a works order was raised for it.</summary>
[EventType("waste.missed-bin-reported")]
internal sealed record MissedBinReported(
    string ReportId,
    string WorksOrderId,
    [property: PersonalData] long Uprn,
    string Container,
    DateOnly CollectionDate,
    string RoundId,
    string? CaseId = null,
    [property: PersonalData] string? MediaUrl = null) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => $"Missed {Container} collection of {CollectionCalendar.Text(CollectionDate)} reported; works order raised";
    public string? TimelineReference => WorksOrderId;
}

/// <summary>The same miss reported again: no new works order, counted as failure demand. A photo sent with the
/// repeat (MediaUrl) is kept only when the order has none yet.</summary>
[EventType("waste.missed-bin-reported-again")]
internal sealed record MissedBinReportedAgain(string ReportId, string WorksOrderId, string Container, DateOnly CollectionDate, string Status,
    [property: PersonalData] string? MediaUrl = null)
    : ITimelineEntry, IPerformanceFact
{
    // A resident chasing a collection we already know we missed is failure demand by definition.
    PerformanceFact IPerformanceFact.PerformanceFact => new(FailureDemand: 1, FailureReason: FailureReasons.MissedBinReportedAgain);
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => $"Missed {Container} collection of {CollectionCalendar.Text(CollectionDate)} chased (works order {Status})";
    public string? TimelineReference => WorksOrderId;
}

/// <summary>The contractor took the works order and gave its reference.</summary>
[EventType("waste.works-order-sent")]
internal sealed record WorksOrderSent(string WorksOrderId, string? Container, string ContractorReference, string? Kind = null) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => $"Works order for {WorksOrderStatus.Subject(Container, Kind)} sent to the contractor";
    public string? TimelineReference => WorksOrderId;
}

/// <summary>The contractor (or the waste team) moved the works order on.</summary>
[EventType("waste.works-order-status-changed")]
internal sealed record WorksOrderStatusChanged(string WorksOrderId, string? Container, string From, string To, string? Kind = null) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => $"Works order for {WorksOrderStatus.Subject(Container, Kind)} {WorksOrderStatus.Describe(To)}";
    public string? TimelineReference => WorksOrderId;
}

/// <summary>Outbox command: send a raised works order to the contractor (ids only, never personal data).</summary>
[MessageType("waste.send-works-order")]
internal sealed record SendWorksOrderToContractor(string WorksOrderId);

/// <summary>Outbox command: tell the contractor a works order it holds is called off (ids only).</summary>
[MessageType("waste.cancel-works-order-at-contractor")]
internal sealed record CancelWorksOrderAtContractor(string WorksOrderId, string ContractorReference);

// CaseId (optional, null on events recorded before works orders were linked to cases): the case the
// report was made for; the order's progress is then sent to the Case module (contracts' WorksOrderProgress).

internal static class WasteStreams
{
    public static string WorksOrder(string id) => "works-order-" + id;
}

/// <summary>A works order's life: raised here, sent to the contractor, then the contractor's statuses.</summary>
internal static class WorksOrderStatus
{
    public const string Raised = "raised";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string CouldNotComplete = "could-not-complete";

    public static readonly IReadOnlyList<string> All = [Raised, Sent, Accepted, Completed, Cancelled, CouldNotComplete];

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [Raised] = [Sent, Cancelled],
        [Sent] = [Accepted, Completed, CouldNotComplete, Cancelled],
        [Accepted] = [Completed, CouldNotComplete, Cancelled],
        [Completed] = [],
        [Cancelled] = [],
        [CouldNotComplete] = [],
    };

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static IReadOnlyList<string> From(string status) => Next.GetValueOrDefault(status) ?? [];

    /// <summary>What a works order is about, for a summary: "refuse bin", "bulky waste collection", or "fly-tipping" when it has no container
    /// (events recorded before the kind was carried have none).</summary>
    public static string Subject(string? container, string? kind = null) =>
        kind == WorksOrderKinds.BulkyCollection ? "bulky waste collection" : container is null ? "fly-tipping" : container + " bin";

    public static bool IsOpen(string status) => status is Raised or Sent or Accepted;

    public static string Describe(string status) => status switch
    {
        Sent => "sent to the contractor",
        Accepted => "accepted by the contractor",
        Completed => "completed",
        Cancelled => "cancelled",
        CouldNotComplete => "could not be completed",
        _ => status,
    };
}

/// <summary>A resident asked for a new or replacement bin and a works order was raised for its delivery.</summary>
[EventType("waste.bin-requested")]
internal sealed record BinRequested(
    string RequestId,
    string WorksOrderId,
    [property: PersonalData] long Uprn,
    string Container,
    string Reason,
    string? CaseId = null) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => $"{(Reason == BinRequestReasons.New ? "New" : "Replacement")} {Container} bin requested; works order raised";
    public string? TimelineReference => WorksOrderId;
}

internal static class BinRequestReasons
{
    public const string New = "new";
    public const string Replacement = "replacement";
    public static readonly IReadOnlyList<string> All = [New, Replacement];
}

internal static class WorksOrderKinds
{
    public const string MissedBin = "missed-bin";
    public const string BinRequest = "bin-request";
    public const string FlyTipping = "fly-tipping";
    public const string BulkyCollection = "bulky-collection";
}

/// <summary>
/// Bookings confirmed a paid bulky waste collection (contracts' RaiseBulkyWorksOrder): a works order
/// for the contractor to collect the listed items on that day. Item names are short codes the
/// resident chose ("sofa", "fridge"), not personal data; the UPRN is.
/// </summary>
[EventType("waste.bulky-collection-ordered")]
internal sealed record BulkyCollectionOrdered(
    string BulkyCollectionId,
    string BookingId,
    string WorksOrderId,
    [property: PersonalData] long Uprn,
    IReadOnlyList<string> Items,
    DateOnly CollectionDate) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary =>
        $"Bulky waste collection of {CollectionCalendar.Text(CollectionDate)} ({(Items.Count == 1 ? "1 item" : Items.Count + " items")}); works order raised";
    public string? TimelineReference => WorksOrderId;
}

/// <summary>
/// Fly-tipping reported at a place: a works order for the contractor to clear it. What was dumped is
/// the reporter's free text, so it is [PersonalData] (it may name or describe people). The place is
/// the point (WGS84) and/or Location, the reporter's words for it (Open311's address_string; free
/// text, so [PersonalData] too). Events recorded before Location existed always have the point;
/// newer ones may have only the words.
/// </summary>
[EventType("waste.fly-tipping-reported")]
internal sealed record FlyTippingReported(
    string ReportId,
    string WorksOrderId,
    double? Latitude,
    double? Longitude,
    [property: PersonalData] string? Description,
    string? CaseId = null,
    [property: PersonalData] string? Location = null,
    [property: PersonalData] string? MediaUrl = null) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => "Fly-tipping reported; works order raised";
    public string? TimelineReference => WorksOrderId;
}
