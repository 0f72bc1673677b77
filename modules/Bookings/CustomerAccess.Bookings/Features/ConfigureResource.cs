using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAccess.Bookings.Domain;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Bookings.Features;

/// <summary>
/// GET /resources/{id} (its opening rules) and PUT /resources/{id} (partnership-admin): a council that
/// joins while the system runs sets up its pitches, rooms and bulky-waste round here, and prices
/// change here. Each change is a `bookings.resource-configured` event (who changed a price, and when).
/// A new capacity applies to slots not yet started; bookings already made stand. The type cannot
/// change: bookings and bulky collections rely on it (add another resource instead).
/// </summary>
internal static partial class ConfigureResource
{
    internal sealed record Request(string? Type, string? Name, long? PricePence, int? Capacity, int[]? Weekdays, string[]? Starts, int? SlotMinutes);

    internal sealed record ResourceView(string Id, string Type, string Name, long PricePence, int Capacity, IReadOnlyList<int> Weekdays,
        IReadOnlyList<string> Starts, int? SlotMinutes)
    {
        public static ResourceView Of(Resource r) => new(r.Id, r.Type, r.Name, r.PricePence, r.Capacity, r.Weekdays, r.Starts, r.SlotMinutes);
    }

    internal static readonly string[] Types = [ResourceTypes.Pitch, ResourceTypes.Pavilion, ResourceTypes.Room, ResourceTypes.BulkyWaste];
    public const long MaxPricePence = 1_000_000;
    public const int MaxCapacity = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/resources/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetResource");
        api.MapPut("/resources/{id}", Put).RequireAuthorization(Policies.PartnershipAdmin).WithName("ConfigureResource");
    }

    private static async Task<IResult> Get(string id, HttpContext http, Platform.Database.PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var resource = await BookingStore.ResourceAsync(tx, id, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The resource");
        return Results.Ok(ResourceView.Of(resource));
    }

    private static async Task<IResult> Put(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        _ = Decide(id, body); // a 400 before a connection is taken
        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var result = await ConfigureAsync(session, id, body, ct).ConfigureAwait(false);
        if (!result.Changed) return Results.Ok(result.Resource);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return result.Created ? Results.Created($"/api/councils/{council}/resources/{result.Resource.Id}", result.Resource) : Results.Ok(result.Resource);
    }

    internal sealed record Configured(ResourceView Resource, bool Created, bool Changed);

    /// <summary>
    /// PUT /resources/{id}'s core, shared with the admin screen: adds or changes the resource in the session
    /// (the caller commits when <see cref="Configured.Changed"/>). 400 naming each bad field, 409 for another type.
    /// </summary>
    internal static async Task<Configured> ConfigureAsync(EventSession session, string id, Request? body, CancellationToken ct)
    {
        var wanted = Decide(id, body);
        var existing = await BookingStore.ResourceAsync(session.Db, wanted.Id, ct).ConfigureAwait(false);
        if (existing is not null && existing.Type != wanted.Type)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"This resource is a {existing.Type}; its type cannot change. Add a new resource instead.") { Extensions = { ["currentType"] = existing.Type } };
        if (existing is not null && Same(existing, wanted)) return new Configured(ResourceView.Of(existing), Created: false, Changed: false);

        await BookingStore.SaveResourceAsync(session.Db, wanted, replace: true, ct).ConfigureAwait(false);
        if (existing is not null && existing.Capacity != wanted.Capacity)
        {
            // A slot row keeps the capacity it was created with (its row lock guards it): move the future ones on.
            await using var slots = session.Db.Command("update bookings.slots set capacity = $3 where tenant_id = $1 and resource_id = $2 and starts_at > now()");
            slots.Parameters.AddWithValue(session.Tenant);
            slots.Parameters.AddWithValue(wanted.Id);
            slots.Parameters.AddWithValue(wanted.Capacity);
            await slots.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await session.AppendAsync("resource-" + wanted.Id, ExpectedVersion.Any,
            [new ResourceConfigured(wanted.Id, wanted.Type, wanted.Name, wanted.PricePence, wanted.Capacity, wanted.Weekdays, wanted.Starts, wanted.SlotMinutes)],
            ct: ct).ConfigureAwait(false);
        return new Configured(ResourceView.Of(wanted), Created: existing is null, Changed: true);
    }

    /// <summary>The resource the request describes, or a 400 listing every field that is wrong.</summary>
    internal static Resource Decide(string id, Request? body)
    {
        var v = new Validator();
        v.Require(ResourceId().IsMatch(id), "id", "The id is 1 to 40 lowercase letters, digits and dashes, starting with a letter or digit.");
        if (body is null) throw ApiProblemException.Validation("body", "Send the resource as JSON.");
        var type = body.Type?.Trim();
        v.Require(type is not null && Types.Contains(type), "type", "Type must be one of " + string.Join(", ", Types) + ".");
        var name = body.Name?.Trim();
        v.Require(!string.IsNullOrEmpty(name) && name.Length <= 100, "name", "Give a name of up to 100 characters.");
        v.Require(body.PricePence is null or (>= 0 and <= MaxPricePence), "pricePence", $"The price is whole pence from 0 (free) to {MaxPricePence}.");
        v.Require(body.Capacity is >= 1 and <= MaxCapacity, "capacity", $"Capacity is the places in each slot, 1 to {MaxCapacity}.");
        var weekdays = body.Weekdays ?? [];
        v.Require(weekdays.Length > 0 && weekdays.All(d => d is >= 1 and <= 7) && weekdays.Distinct().Count() == weekdays.Length, "weekdays",
            "Weekdays are the ISO days it opens (1 = Monday … 7 = Sunday), each once, at least one.");
        var starts = (body.Starts ?? []).Select(s => s?.Trim() ?? "").ToList();
        if (type == ResourceTypes.BulkyWaste)
        {
            // A collection round: one all-day slot per opening day.
            v.Require(starts.Count == 0, "starts", "A bulky-waste round has one slot a day: send no start times.");
            v.Require(body.SlotMinutes is null, "slotMinutes", "A bulky-waste round has one slot a day: send no slot length.");
        }
        else
        {
            v.Require(body.SlotMinutes is >= 15 and <= 720, "slotMinutes", "The slot length is 15 to 720 minutes.");
            var times = starts.Select(s => TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : (TimeOnly?)null).ToList();
            if (starts.Count is 0 or > 48 || times.Any(t => t is null))
                v.Add("starts", "Start times are 1 to 48 local times like 09:00.");
            else if (body.SlotMinutes is int minutes)
            {
                var sorted = times.Select(t => t!.Value).Order().ToList();
                if (sorted.Distinct().Count() != sorted.Count || sorted.Zip(sorted.Skip(1)).Any(p => p.First.ToTimeSpan() + TimeSpan.FromMinutes(minutes) > p.Second.ToTimeSpan()))
                    v.Add("starts", "Slots must not overlap: each start is at least the slot length after the one before.");
                else if ((sorted[^1].ToTimeSpan() + TimeSpan.FromMinutes(minutes)).TotalMinutes > 24 * 60)
                    v.Add("starts", "The last slot must end by midnight.");
                starts = sorted.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture)).ToList();
            }
        }
        v.ThrowIfInvalid();
        return new Resource(id, type!, name!, body.PricePence ?? 0, body.Capacity!.Value, weekdays.Order().ToList(), starts,
            type == ResourceTypes.BulkyWaste ? null : body.SlotMinutes);
    }

    private static bool Same(Resource a, Resource b) =>
        a.Name == b.Name && a.PricePence == b.PricePence && a.Capacity == b.Capacity && a.SlotMinutes == b.SlotMinutes
        && a.Weekdays.Order().SequenceEqual(b.Weekdays) && a.Starts.Order(StringComparer.Ordinal).SequenceEqual(b.Starts, StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex ResourceId();
}
