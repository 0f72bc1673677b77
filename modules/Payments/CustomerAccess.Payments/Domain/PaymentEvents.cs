using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Payments.Domain;

// A payment's stream is "payment-{id}"; a council-local day's cash-up is "cashup-{yyyy-MM-dd}".
// Events about a customer carry the customer id in their metadata and read on the timeline without
// personal data: the caller's free-text reference and a refund's reason never reach a summary.
// The reference is a finance record (e.g. a council tax account number) kept for reconciliation under
// the council's financial retention rules, so it is stored as given (card numbers are refused before
// any handler runs: CardNumberGuard).

/// <summary>
/// Money taken (cash, cheque, card-present, automated-telephone: status succeeded with a receipt) or a
/// card-not-present payment started with the provider (web, telephone: status pending, no receipt yet).
/// </summary>
[EventType("payments.payment-taken")]
internal sealed record PaymentTaken(
    string PaymentId,
    string Fund,
    string FundName,
    string? OnBehalfOf,
    long AmountPence,
    string Channel,
    string? Reference,
    string Status,
    string? ReceiptNumber,
    DateOnly BusinessDate,
    Guid? PaymentRequestId = null) : ITimelineEntry, IPaymentOnSingleView, IPerformanceFact
{
    // A card payment still pending has taken nothing yet; its success counts then.
    PerformanceFact IPerformanceFact.PerformanceFact => new(PaymentsPence: Status == PaymentStatus.Succeeded ? AmountPence : 0);
    PaymentChange IPaymentOnSingleView.PaymentChange => new(PaymentId, ReceiptNumber, FundName, AmountPence, Channel, Status);

    public string TimelineModule => TimelineModules.Payments;

    public string TimelineSummary => Status == PaymentStatus.Pending
        ? $"Card payment {Money.Format(AmountPence)} to {FundName.ToLowerInvariant()} {Channels.Describe(Channel)} started"
        : $"Payment {Money.Format(AmountPence)} to {FundName.ToLowerInvariant()} {Channels.Describe(Channel)} (receipt {ReceiptNumber})";

    public string? TimelineReference => ReceiptNumber;
}

/// <summary>The provider accepted our create request: its payment id and where the payer goes next.</summary>
[EventType("payments.provider-payment-created")]
internal sealed record ProviderPaymentCreated(string PaymentId, string ProviderPaymentId, string? NextUrl);

/// <summary>A pending card payment the provider reports as success: now it has its receipt.</summary>
[EventType("payments.payment-succeeded")]
internal sealed record PaymentSucceeded(
    string PaymentId, string Fund, string FundName, long AmountPence, string Channel, string ReceiptNumber, DateOnly BusinessDate,
    string ProviderStatus) : ITimelineEntry, IPaymentOnSingleView, IPerformanceFact
{
    PerformanceFact IPerformanceFact.PerformanceFact => new(PaymentsPence: AmountPence);
    PaymentChange IPaymentOnSingleView.PaymentChange => new(PaymentId, ReceiptNumber, Status: PaymentStatus.Succeeded);

    public string TimelineModule => TimelineModules.Payments;
    public string TimelineSummary => $"Payment {Money.Format(AmountPence)} to {FundName.ToLowerInvariant()} {Channels.Describe(Channel)} (receipt {ReceiptNumber})";
    public string? TimelineReference => ReceiptNumber;
}

/// <summary>
/// A pending card payment that took no money: the provider said failed, cancelled or error, or a
/// lookup by our reference proved the provider never created it.
/// </summary>
[EventType("payments.payment-failed")]
internal sealed record PaymentFailed(string PaymentId, string FundName, long AmountPence, string Channel, string ProviderStatus) : ITimelineEntry, IPaymentOnSingleView
{
    PaymentChange IPaymentOnSingleView.PaymentChange => new(PaymentId, Status: PaymentStatus.Failed);

    public string TimelineModule => TimelineModules.Payments;
    public string TimelineSummary => $"Card payment {Money.Format(AmountPence)} to {FundName.ToLowerInvariant()} {Channels.Describe(Channel)} not taken ({ProviderStatus})";
}

/// <summary>Money given back: always a transaction of the day it is issued, whatever day the payment was.</summary>
[EventType("payments.refund-issued")]
internal sealed record RefundIssued(
    string RefundId, string PaymentId, string? ReceiptNumber, string Fund, string Channel, long AmountPence, string Reason, DateOnly BusinessDate)
    : ITimelineEntry, IPaymentOnSingleView, IPerformanceFact
{
    PaymentChange IPaymentOnSingleView.PaymentChange => new(PaymentId, RefundedPence: AmountPence);
    PerformanceFact IPerformanceFact.PerformanceFact => new(PaymentsPence: -AmountPence);

    public string TimelineModule => TimelineModules.Payments;
    public string TimelineSummary => $"Refund {Money.Format(AmountPence)} of payment {ReceiptNumber}";
    public string? TimelineReference => ReceiptNumber;
}

/// <summary>
/// A refund of a web or telephone payment as the card provider answered it (GOV.UK Pay refund status
/// submitted, success or error), or "not-found"/"rejected-{http status}" when it refused it.
/// </summary>
[EventType("payments.provider-refund-recorded")]
internal sealed record ProviderRefundRecorded(string RefundId, string PaymentId, string? ProviderRefundId, string Status);

/// <summary>Another module asked for a payment (contracts' PaymentRequested): a payment due.</summary>
[EventType("payments.payment-request-recorded")]
internal sealed record PaymentRequestRecorded(
    Guid PaymentRequestId, string Fund, string FundName, long AmountPence, string Purpose, string PurposeId, string Reference,
    string Description, DateTimeOffset? ExpiresAt) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Payments;
    public string TimelineSummary => $"Payment of {Money.Format(AmountPence)} requested: {Description}";
    public string? TimelineReference => Reference;
}

/// <summary>A payment against the request succeeded (the first one settles it).</summary>
[EventType("payments.payment-request-settled")]
internal sealed record PaymentRequestSettled(Guid PaymentRequestId, string PaymentId, string ReceiptNumber, long AmountPence);

/// <summary>The seller withdrew an open request: later payments against it are refused.</summary>
[EventType("payments.payment-request-closed")]
internal sealed record PaymentRequestClosed(Guid PaymentRequestId, long AmountPence, string Reference, string Reason) : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Payments;
    public string TimelineSummary => $"Payment of {Money.Format(AmountPence)} no longer requested";
    public string? TimelineReference => Reference;
}

/// <summary>A cashier's counted cash for a day, with what the system expected.</summary>
[EventType("payments.cash-declared")]
internal sealed record CashDeclared(DateOnly BusinessDate, string Cashier, long DeclaredPence, long ExpectedPence)
{
    public long DifferencePence => DeclaredPence - ExpectedPence;
}

/// <summary>The day is closed: its payments and refunds can no longer change.</summary>
[EventType("payments.day-closed")]
internal sealed record DayClosed(DateOnly BusinessDate, long NetPence, int Payments, int Refunds);

internal static class PaymentStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

internal static class PaymentStreams
{
    public static string Payment(string id) => "payment-" + id;
    public static string Request(Guid id) => "payment-request-" + id.ToString();
    public static string CashUp(DateOnly date) => "cashup-" + date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

internal static class Money
{
    public static string Format(long pence) =>
        "£" + (pence / 100m).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How money reaches the council, and which channels go through the card payment provider.</summary>
internal static class Channels
{
    public const string Cash = "cash";
    public const string Cheque = "cheque";
    public const string CardPresent = "card-present";
    public const string Telephone = "telephone";
    public const string AutomatedTelephone = "automated-telephone";
    public const string Web = "web";

    public static readonly IReadOnlyList<string> All = [Cash, Cheque, CardPresent, Telephone, AutomatedTelephone, Web];

    /// <summary>
    /// Card-not-present payments we send to the provider's hosted pages (web self-service, and an
    /// advisor keying a card on the phone into the provider's page: MOTO). Card-present (a chip and
    /// PIN terminal) and automated-telephone (the IVR, its own PCI-compliant payment service) report
    /// money already taken, so they are recorded as succeeded at once.
    /// </summary>
    public static bool ViaProvider(string channel) => channel is Web or Telephone;

    public static string Describe(string channel) => channel switch
    {
        Cash => "in cash",
        Cheque => "by cheque",
        CardPresent => "by card in person",
        Telephone => "by phone",
        AutomatedTelephone => "by automated phone",
        Web => "online",
        _ => "by " + channel,
    };
}
