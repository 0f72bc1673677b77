using System.Globalization;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Waste.Domain;

// A garden waste subscription is the stream "garden-subscription-{id}", appended with the customer's
// id in the metadata so it is on their timeline and their single view. The UPRN is [PersonalData]
// (tied to a customer it says where they live) and never in a summary.

/// <summary>A customer asked for a season of garden waste collections; it waits for payment.</summary>
[EventType("waste.garden-subscription-requested")]
internal sealed record GardenSubscriptionRequested(
    string SubscriptionId,
    string Reference,
    int Season,
    int Bins,
    long PencePerBin,
    long AmountPence,
    DateOnly ValidFrom,
    DateOnly ValidTo,
    [property: PersonalData] long Uprn,
    Guid PaymentRequestId,
    DateTimeOffset ExpiresAt,
    string? RenewalOf) : ITimelineEntry, ISubscriptionOnSingleView
{
    SubscriptionChange ISubscriptionOnSingleView.SubscriptionChange =>
        new(SubscriptionId, GardenSeasons.Service, GardenSeasons.Name(Season), Bins, GardenStatus.PendingPayment, ValidFrom, ValidTo);
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary =>
        $"Garden waste subscription {GardenSeasons.Name(Season)} {(RenewalOf is null ? "requested" : "renewal requested")} for {GardenSeasons.BinsText(Bins)}; {GardenSeasons.Money(AmountPence)} to pay";
    public string? TimelineReference => Reference;
}

/// <summary>Payments said the subscription's payment request was paid: the subscription is active.</summary>
[EventType("waste.garden-subscription-paid")]
internal sealed record GardenSubscriptionPaid(
    string SubscriptionId, string Reference, int Season, Guid PaymentRequestId, string PaymentId, string ReceiptNumber, long AmountPence,
    DateOnly ValidFrom, DateOnly ValidTo) : ITimelineEntry, ISubscriptionOnSingleView
{
    SubscriptionChange ISubscriptionOnSingleView.SubscriptionChange => new(SubscriptionId, Status: GardenStatus.Active, ValidFrom: ValidFrom, ValidTo: ValidTo);
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary =>
        $"Garden waste subscription {GardenSeasons.Name(Season)} paid (receipt {ReceiptNumber}); active {GardenSeasons.Text(ValidFrom)} to {GardenSeasons.Text(ValidTo)}";
    public string? TimelineReference => Reference;
}

/// <summary>A payment against the request failed: the subscription stays pending (the request stays payable).</summary>
[EventType("waste.garden-subscription-payment-failed")]
internal sealed record GardenSubscriptionPaymentFailed(string SubscriptionId, string Reference, Guid PaymentRequestId, string? PaymentId, string Reason)
    : ITimelineEntry, ISubscriptionOnSingleView
{
    SubscriptionChange ISubscriptionOnSingleView.SubscriptionChange => new(SubscriptionId, Status: GardenStatus.PendingPayment);
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => "Payment for garden waste subscription failed; still waiting for payment";
    public string? TimelineReference => Reference;
}

/// <summary>An unpaid subscription whose payment request expired was replaced by a new request: it expires unpaid.</summary>
[EventType("waste.garden-subscription-lapsed")]
internal sealed record GardenSubscriptionLapsed(string SubscriptionId, string Reference, Guid PaymentRequestId)
    : ITimelineEntry, ISubscriptionOnSingleView
{
    SubscriptionChange ISubscriptionOnSingleView.SubscriptionChange => new(SubscriptionId, Status: GardenStatus.Expired);
    public string TimelineModule => TimelineModules.Waste;
    public string TimelineSummary => "Unpaid garden waste subscription lapsed (payment not made in time)";
    public string? TimelineReference => Reference;
}

internal static class GardenStatus
{
    public const string PendingPayment = "pending-payment";
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// Seasons run April to March and are named by their years ("2026-27"); a season is stored as the
/// year it starts. A subscription taken during a season runs from that day to the season's end, at
/// the full season's price (no pro rata).
/// </summary>
internal static class GardenSeasons
{
    public const string Service = "garden-waste";
    public const string Fund = "garden-waste";
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromDays(14);

    public static int Of(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;

    public static DateOnly Start(int season) => new(season, 4, 1);

    public static DateOnly End(int season) => new(season + 1, 3, 31);

    public static string Name(int season) => $"{season.ToString(CultureInfo.InvariantCulture)}-{((season + 1) % 100).ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>"2026-27" → 2026; null when it is not a season name.</summary>
    public static int? Parse(string? text)
    {
        if (text is null || text.Length != 7 || text[4] != '-') return null;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return null;
        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var next) || next != (year + 1) % 100) return null;
        return year is >= 2000 and <= 2100 ? year : null;
    }

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string BinsText(int bins) => bins == 1 ? "1 bin" : $"{bins.ToString(CultureInfo.InvariantCulture)} bins";

    public static string Money(long pence) => "£" + (pence / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}

internal static class GardenStreams
{
    public static string For(string id) => "garden-subscription-" + id;
}
