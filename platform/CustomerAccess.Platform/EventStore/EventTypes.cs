using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// Names an event in storage. The name, not the CLR class, is what is stored, so classes can be
/// renamed or moved freely; <see cref="Version"/> is the payload's current schema version.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventTypeAttribute(string name, int version = 1) : Attribute
{
    public string Name { get; } = name;
    public int Version { get; } = version;
}

/// <summary>
/// Marks a property of an event as personal data of the event's data subject (its customer): it is
/// stored encrypted with that customer's own key and becomes unreadable when the key is erased.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PersonalDataAttribute : Attribute;

/// <summary>Turns a stored payload of an older schema version into the next version.</summary>
public interface IEventUpcaster
{
    string EventType { get; }
    int FromVersion { get; }
    JsonObject Upcast(JsonObject payload);
}

/// <summary>Knows every event type by its stored name, its current version and its upcasters.</summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<string, EventTypeInfo> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, EventTypeInfo> _byType = new();
    private readonly ConcurrentDictionary<(string, int), IEventUpcaster> _upcasters = new();

    public void RegisterAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetCustomAttribute<EventTypeAttribute>() is not null) Register(type);
            if (typeof(IEventUpcaster).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false }
                && type.GetConstructor(Type.EmptyTypes) is not null)
                AddUpcaster((IEventUpcaster)Activator.CreateInstance(type)!);
        }
    }

    public void Register(Type type)
    {
        var attribute = type.GetCustomAttribute<EventTypeAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [EventType] attribute.");
        var personal = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<PersonalDataAttribute>() is not null)
            .Select(p => JsonDefaults.Options.PropertyNamingPolicy!.ConvertName(p.Name))
            .ToArray();
        var info = new EventTypeInfo(attribute.Name, attribute.Version, type, personal);
        if (_byName.TryGetValue(info.Name, out var existing) && existing.ClrType != type)
            throw new InvalidOperationException($"Event type name '{info.Name}' is used by both {existing.ClrType} and {type}.");
        _byName[info.Name] = info;
        _byType[type] = info;
    }

    public void AddUpcaster(IEventUpcaster upcaster) => _upcasters[(upcaster.EventType, upcaster.FromVersion)] = upcaster;

    public EventTypeInfo For(Type type) => _byType.TryGetValue(type, out var info)
        ? info
        : throw new InvalidOperationException($"{type.Name} is not a registered event type.");

    public EventTypeInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Brings a payload from its stored version up to the current one, step by step.</summary>
    public JsonObject Upcast(string name, int storedVersion, int currentVersion, JsonObject payload)
    {
        for (var v = storedVersion; v < currentVersion; v++)
        {
            if (!_upcasters.TryGetValue((name, v), out var upcaster))
                throw new InvalidOperationException($"No upcaster for '{name}' from version {v}.");
            payload = upcaster.Upcast(payload);
        }
        return payload;
    }
}

public sealed record EventTypeInfo(string Name, int Version, Type ClrType, IReadOnlyList<string> PersonalFields);
