using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Bookings.Domain;

// A booking of a pitch, pavilion or room is the stream "booking-{id}"; a bulky-waste collection is the
// stream "bulky-{id}" (its booking has no stream of its own). Every event is appended with the
// customer's id, so it is on their timeline; summaries name the resource and the day, never the
// address or anything else personal. The single-view facts are explicit so they are not stored.

internal static class BookingText
{
    public static string ReleaseReason(string reason) => reason switch
    {
        ReleaseReasons.Expired => "not paid in time",
        ReleaseReasons.PaymentFailed => "payment failed",
        ReleaseReasons.PaidTooLate => "paid after the place had gone, refund requested",
        _ => reason,
    };
}

internal static class ReleaseReasons
{
    public const string Expired = "expired";
    public const string PaymentFailed = "payment-failed";
    public const string PaidTooLate = "paid-too-late";
}

[EventType("bookings.booking-made")]
internal sealed record BookingMade(
    string BookingId, string ResourceId, string ResourceName, string ResourceType, string SlotId, DateTimeOffset Start, DateTimeOffset End,
    string Status, long AmountPence, Guid? PaymentRequestId, string? Reference, DateTimeOffset? ExpiresAt) : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, ResourceName, ResourceType, Start, End, Status);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => Status == BookingStatuses.Held
        ? $"{ResourceName} booked for {SlotCalendar.DayTime(Start)}: awaiting payment"
        : $"{ResourceName} booked for {SlotCalendar.DayTime(Start)}: confirmed";
    public string? TimelineReference => Reference;
}

[EventType("bookings.booking-confirmed")]
internal sealed record BookingConfirmed(string BookingId, string ResourceName, DateTimeOffset Start, string? PaymentId, string? Reference)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Confirmed);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"{ResourceName} booking for {SlotCalendar.DayTime(Start)} confirmed";
    public string? TimelineReference => Reference;
}

[EventType("bookings.booking-cancelled")]
internal sealed record BookingCancelled(string BookingId, string ResourceName, DateTimeOffset Start, bool RefundRequested, string? Reference)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Cancelled);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"{ResourceName} booking for {SlotCalendar.DayTime(Start)} cancelled" + (RefundRequested ? ": refund requested" : "");
    public string? TimelineReference => Reference;
}

[EventType("bookings.booking-released")]
internal sealed record BookingReleased(string BookingId, string ResourceName, DateTimeOffset Start, string Reason, string? Reference)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Released);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"{ResourceName} booking for {SlotCalendar.DayTime(Start)} released: {BookingText.ReleaseReason(Reason)}";
    public string? TimelineReference => Reference;
}

[EventType("bookings.bulky-collection-booked")]
internal sealed record BulkyCollectionBooked(
    string BulkyCollectionId, string BookingId, string SlotId, DateOnly CollectionDate, DateTimeOffset Start, DateTimeOffset End,
    [property: PersonalData] string? Uprn, IReadOnlyList<string> Items, long AmountPence, Guid PaymentRequestId, string Reference,
    DateTimeOffset ExpiresAt) : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, BulkyText.ResourceName, ResourceTypes.BulkyWaste, Start, End, BookingStatuses.Held);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"Bulky waste collection booked for {SlotCalendar.Day(CollectionDate)}: awaiting payment";
    public string? TimelineReference => Reference;
}

[EventType("bookings.bulky-collection-confirmed")]
internal sealed record BulkyCollectionConfirmed(string BulkyCollectionId, string BookingId, DateOnly CollectionDate, string Reference, string? PaymentId)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Confirmed);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"Bulky waste collection for {SlotCalendar.Day(CollectionDate)} confirmed";
    public string? TimelineReference => Reference;
}

[EventType("bookings.bulky-works-order-recorded")]
internal sealed record BulkyWorksOrderRecorded(string BulkyCollectionId, string BookingId, DateOnly CollectionDate, string Reference, string WorksOrderId)
    : ITimelineEntry
{
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"Bulky waste collection for {SlotCalendar.Day(CollectionDate)}: works order raised";
    public string? TimelineReference => Reference;
}

[EventType("bookings.bulky-collection-released")]
internal sealed record BulkyCollectionReleased(string BulkyCollectionId, string BookingId, DateOnly CollectionDate, string Reference, string Reason)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Released);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"Bulky waste collection for {SlotCalendar.Day(CollectionDate)} released: {BookingText.ReleaseReason(Reason)}";
    public string? TimelineReference => Reference;
}

[EventType("bookings.bulky-collection-cancelled")]
internal sealed record BulkyCollectionCancelled(string BulkyCollectionId, string BookingId, DateOnly CollectionDate, string Reference, bool RefundRequested)
    : ITimelineEntry, IBookingOnSingleView
{
    BookingChange IBookingOnSingleView.BookingChange => new(BookingId, Status: BookingStatuses.Cancelled);
    public string TimelineModule => TimelineModules.Bookings;
    public string TimelineSummary => $"Bulky waste collection for {SlotCalendar.Day(CollectionDate)} cancelled" + (RefundRequested ? ": refund requested" : "");
    public string? TimelineReference => Reference;
}

internal static class BulkyText
{
    public const string ResourceName = "Bulky waste collection";
}

/// <summary>A partnership admin added or changed a bookable resource (no customer: not on any timeline).</summary>
[EventType("bookings.resource-configured")]
internal sealed record ResourceConfigured(string ResourceId, string Type, string Name, long PricePence, int Capacity, IReadOnlyList<int> Weekdays,
    IReadOnlyList<string> Starts, int? SlotMinutes);
