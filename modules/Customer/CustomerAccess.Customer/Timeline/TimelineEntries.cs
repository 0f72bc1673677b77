using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;

namespace CustomerAccess.Customer.Timeline;

/// <summary>One line of the customer timeline, as the contract shapes it.</summary>
internal sealed record TimelineEntry(
    long Position, DateTimeOffset OccurredAt, string Module, string Type, string Summary, string? Channel, string Actor, string? Reference);

internal static class TimelineEntries
{
    /// <summary>An event about a customer that says how it reads on a timeline, or null.</summary>
    public static TimelineEntry? From(StoredEvent e) =>
        e.Data is ITimelineEntry entry && e.Metadata.CustomerId is not null
            ? new TimelineEntry(e.Position, e.OccurredAt, entry.TimelineModule, e.EventType, entry.TimelineSummary, e.Metadata.Channel,
                e.Metadata.Actor, entry.TimelineReference)
            : null;
}
