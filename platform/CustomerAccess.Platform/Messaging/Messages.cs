using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using CustomerAccess.Platform.EventStore;
using NpgsqlTypes;

namespace CustomerAccess.Platform.Messaging;

/// <summary>
/// Names a message (integration event or command) in the outbox, like [EventType] for events:
/// the stored name, never the CLR name. Messages carry ids, never personal data.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Handles one message type. Delivered at least once; the inbox makes a redelivery a no-op.</summary>
public interface IMessageHandler<in TMessage>
{
    /// <summary>
    /// Writes through <see cref="MessageContext.Session"/> only: the dispatcher commits it together
    /// with the inbox row, so the handler's effect and "handled" are one fact.
    /// </summary>
    Task HandleAsync(TMessage message, MessageContext context, CancellationToken ct);
}

/// <summary>What a handler knows about the delivery, and its unit of work.</summary>
public sealed class MessageContext
{
    public required Guid MessageId { get; init; }
    public required string Tenant { get; init; }
    public required string MessageType { get; init; }
    public Guid? CorrelationId { get; init; }
    /// <summary>What caused the message: the last event appended with it, or the sender's own cause.</summary>
    public Guid? CausationId { get; init; }
    public required int Attempt { get; init; }
    /// <summary>A session for <see cref="Tenant"/> whose EventContext has causation = the message id and the message's trace.</summary>
    public required EventSession Session { get; init; }
}

/// <summary>Message names to CLR types, from [MessageType] classes of the registered assemblies.</summary>
public sealed class MessageTypeRegistry
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);

    public void RegisterAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.GetCustomAttribute<MessageTypeAttribute>() is not null))
            Register(type);
    }

    public void Register(Type type)
    {
        var name = NameOf(type);
        if (_byName.TryGetValue(name, out var existing) && existing != type)
            throw new InvalidOperationException($"Message type name '{name}' is used by both {existing.FullName} and {type.FullName}.");
        _byName[name] = type;
    }

    public Type? Find(string name) => _byName.GetValueOrDefault(name);

    public static string NameOf(Type type) => Names.GetOrAdd(type, static t =>
        t.GetCustomAttribute<MessageTypeAttribute>()?.Name
        ?? throw new InvalidOperationException($"{t.Name} has no [MessageType] attribute."));
}

public static class Outbox
{
    /// <summary>
    /// Queues a message in the session's transaction: it is sent if and only if the session commits,
    /// with the current trace context and the last appended event as its cause. Returns the message id.
    /// </summary>
    public static async Task<Guid> SendAsync(this EventSession session, object message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(message);
        var id = Guid.CreateVersion7();
        var activity = Activity.Current;
        await using var cmd = session.Db.Command("""
            insert into platform.outbox (tenant_id, message_id, message_type, payload, correlation_id, causation_id, trace_parent, trace_state, sent_by)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(MessageTypeRegistry.NameOf(message.GetType()));
        cmd.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(message, message.GetType(), JsonDefaults.Options));
        cmd.Parameters.AddWithValue(session.Context.CorrelationId);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)(session.Appended.Count > 0 ? session.Appended[^1].EventId : session.Context.CausationId) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)activity?.Id ?? session.Context.TraceParent ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)(activity is null ? session.Context.TraceState : activity.TraceStateString) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(session.Context.OnBehalfOf ?? session.Context.Actor);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        session.MessagesSent = true;
        return id;
    }
}
