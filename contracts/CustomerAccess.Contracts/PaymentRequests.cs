using CustomerAccess.Platform.Messaging;

namespace CustomerAccess.Contracts;

/// <summary>
/// How a module that sells something (a garden-waste subscription, a bulky-waste collection, a pitch
/// booking) gets paid without calling Payments: it sends <see cref="PaymentRequested"/> through the
/// outbox in the same transaction as its own decision, and Payments answers with
/// <see cref="PaymentRequestPaid"/> or <see cref="PaymentRequestFailed"/>. Every module with a
/// handler receives every answer, so a handler ignores answers whose <c>Purpose</c> is not its own.
/// Messages carry ids, sums and codes, never personal data.
/// </summary>
public static class PaymentPurposes
{
    public const string GardenWasteSubscription = "garden-waste-subscription";
    public const string BulkyCollection = "bulky-collection";
    public const string Booking = "booking";
}

/// <summary>
/// Payments records a payment due (visible to advisors, payable through <c>POST /payments</c> with
/// <c>paymentRequestId</c>, which must then match <see cref="Fund"/> and <see cref="AmountPence"/>).
/// </summary>
/// <param name="Purpose">one of <see cref="PaymentPurposes"/>: who answers to the outcome</param>
/// <param name="PurposeId">the seller's own id (subscription id, bulky collection id, booking id)</param>
/// <param name="Reference">what the advisor and resident quote, e.g. "GW-2027-000123" (no personal data)</param>
/// <param name="Description">a short personal-data-free line for the payments screen, e.g. "Garden waste 2027, 2 bins"</param>
/// <param name="ExpiresAt">after this, Payments refuses payments against it (the seller releases what it held)</param>
[MessageType("payments.payment-requested")]
public sealed record PaymentRequested(
    Guid PaymentRequestId, string? CustomerId, string Fund, long AmountPence, string Purpose, string PurposeId,
    string Reference, string Description, DateTimeOffset? ExpiresAt);

/// <summary>The seller no longer wants the money (hold expired, booking cancelled before payment).
/// Payments refuses later payments against it with 409. If it was already paid, Payments answers
/// <see cref="PaymentRequestPaid"/> again instead, and the seller decides (e.g. refund).</summary>
[MessageType("payments.payment-request-withdrawn")]
public sealed record PaymentRequestWithdrawn(Guid PaymentRequestId, string Reason);

/// <summary>A payment against the request succeeded (cash at once, card when the provider confirms).</summary>
[MessageType("payments.payment-request-paid")]
public sealed record PaymentRequestPaid(
    Guid PaymentRequestId, string Purpose, string PurposeId, string PaymentId, string ReceiptNumber, long AmountPence);

/// <summary>A payment against the request failed (card declined, abandoned, provider gave up).
/// The request stays payable until it expires or is withdrawn; the seller may release what it holds.</summary>
[MessageType("payments.payment-request-failed")]
public sealed record PaymentRequestFailed(Guid PaymentRequestId, string Purpose, string PurposeId, string? PaymentId, string Reason);

/// <summary>The seller could not deliver what was paid for (paid after the hold ran out, a paid
/// booking cancelled): Payments refunds the request's payment in full and records why.</summary>
[MessageType("payments.refund-payment-request")]
public sealed record RefundPaymentRequest(Guid PaymentRequestId, string Reason);

/// <summary>What the seller returns to its caller in its 201 (e.g. <c>paymentDue</c> of a bulky collection).</summary>
public sealed record PaymentDue(Guid PaymentRequestId, string Fund, long AmountPence, string Reference, DateTimeOffset? ExpiresAt);
