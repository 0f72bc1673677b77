namespace CustomerAccess.Contracts;

/// <summary>
/// A case event says what it changes of the case as the customer's single view lists it. The
/// Customer module projects these from the global log (the event's customer is its metadata's
/// customer id); null fields are unchanged. Implement it explicitly so it is not stored.
/// </summary>
public interface ICaseOnSingleView
{
    CaseChange CaseChange { get; }
}

/// <param name="Reference">the case's reference, unique in its council: what every case event carries</param>
/// <param name="Restricted">a safeguarding case: left off the single view that every advisor sees</param>
public sealed record CaseChange(
    string Reference, string? CaseId = null, string? Type = null, string? Service = null, string? Status = null,
    DateTimeOffset? DueAt = null, bool? Restricted = null);

/// <summary>A payment event says what it changes of the payment as the single view lists it.</summary>
public interface IPaymentOnSingleView
{
    PaymentChange PaymentChange { get; }
}

/// <param name="RefundedPence">added to what was already refunded</param>
public sealed record PaymentChange(
    string PaymentId, string? ReceiptNumber = null, string? Fund = null, long? AmountPence = null, string? Channel = null,
    string? Status = null, long RefundedPence = 0);

/// <summary>A booking event says what it changes of the booking as the single view lists it.</summary>
public interface IBookingOnSingleView
{
    BookingChange BookingChange { get; }
}

/// <param name="Status">e.g. held, confirmed, cancelled, released; cancelled and released leave the list</param>
/// <param name="ResourceName">the pitch, room or "Bulky waste collection": not personal data</param>
public sealed record BookingChange(
    string BookingId, string? ResourceName = null, string? ResourceType = null, DateTimeOffset? Start = null,
    DateTimeOffset? End = null, string? Status = null);

/// <summary>A subscription event (garden waste) says what it changes of it as the single view lists it.</summary>
public interface ISubscriptionOnSingleView
{
    SubscriptionChange SubscriptionChange { get; }
}

/// <param name="Status">pending-payment, active, expired, cancelled</param>
public sealed record SubscriptionChange(
    string SubscriptionId, string? Service = null, string? Season = null, int? Bins = null, string? Status = null,
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null);
