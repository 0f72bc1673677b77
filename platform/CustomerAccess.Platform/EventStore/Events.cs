using System.Diagnostics;
using System.Text.Json.Serialization;

namespace CustomerAccess.Platform.EventStore;

/// <summary>What the store expects a stream's version to be before an append.</summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version (no concurrency check).</summary>
    public const long Any = -2;
    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}

/// <summary>Who, where and why: the context every event of a write is stamped with.</summary>
public sealed record EventContext
{
    public required string Actor { get; init; }
    public string? Channel { get; init; }
    public Guid CorrelationId { get; init; } = Guid.CreateVersion7();
    public Guid? CausationId { get; init; }
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    /// <summary>
    /// Whose action this work follows from when the actor is the system: the person whose write sent
    /// the message a handler is handling. Stored in the metadata; passed on to messages sent here.
    /// </summary>
    public string? OnBehalfOf { get; init; }

    /// <summary>A context for work done by the system itself, carrying the current trace if any.</summary>
    public static EventContext System(string actor = "system") => new EventContext { Actor = actor }.WithCurrentTrace();

    /// <summary>Copies the ambient W3C trace context so it travels in event metadata.</summary>
    public EventContext WithCurrentTrace()
    {
        var activity = Activity.Current;
        return activity is null ? this : this with { TraceParent = activity.Id, TraceState = activity.TraceStateString };
    }
}

/// <summary>Metadata stored with every event.</summary>
public sealed record EventMetadata
{
    public required string Tenant { get; init; }
    public required string Actor { get; init; }
    public string? Channel { get; init; }
    public Guid CorrelationId { get; init; }
    public Guid? CausationId { get; init; }
    public string? CustomerId { get; init; }
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    /// <summary>See <see cref="EventContext.OnBehalfOf"/>; absent on events written directly by a person.</summary>
    public string? OnBehalfOf { get; init; }
}

/// <summary>An event as read back from the store, upcast to its current version and decrypted.</summary>
public sealed record StoredEvent
{
    public required long Position { get; init; }
    public required ulong TransactionId { get; init; }
    public required string Tenant { get; init; }
    public required string StreamId { get; init; }
    public required long StreamVersion { get; init; }
    public required Guid EventId { get; init; }
    public required string EventType { get; init; }
    public required int SchemaVersion { get; init; }
    /// <summary>The typed event, or a JsonObject when the type is not registered in this process.</summary>
    public required object Data { get; init; }
    public required EventMetadata Metadata { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }

    [JsonIgnore]
    public GlobalCheckpoint Checkpoint => new(TransactionId, Position);
}

/// <summary>
/// A place in the global log. The log is ordered by (transaction id, position), not position alone,
/// so a reader that resumes from here never skips an event whose transaction committed late.
/// </summary>
public readonly record struct GlobalCheckpoint(ulong TransactionId, long Position) : IComparable<GlobalCheckpoint>
{
    public static readonly GlobalCheckpoint Start = new(0, 0);

    public int CompareTo(GlobalCheckpoint other) =>
        TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Position.CompareTo(other.Position);

    public static bool operator <(GlobalCheckpoint a, GlobalCheckpoint b) => a.CompareTo(b) < 0;
    public static bool operator >(GlobalCheckpoint a, GlobalCheckpoint b) => a.CompareTo(b) > 0;
    public static bool operator <=(GlobalCheckpoint a, GlobalCheckpoint b) => a.CompareTo(b) <= 0;
    public static bool operator >=(GlobalCheckpoint a, GlobalCheckpoint b) => a.CompareTo(b) >= 0;
}

/// <summary>The stream was not at the version the writer expected: someone else wrote first.</summary>
public sealed class ConcurrencyException(string streamId, long expected, Exception? inner = null)
    : Exception($"Stream '{streamId}' was changed by someone else (expected version {expected}).", inner)
{
    public string StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expected;
}

/// <summary>Personal data was about to be written for a customer whose key has been erased.</summary>
public sealed class SubjectErasedException(string subjectId)
    : Exception($"The data subject's personal data has been erased; it cannot be written again.")
{
    public string SubjectId { get; } = subjectId;
}
