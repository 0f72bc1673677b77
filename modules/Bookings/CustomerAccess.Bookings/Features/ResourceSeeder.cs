using CustomerAccess.Bookings.Domain;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Modules;

namespace CustomerAccess.Bookings.Features;

/// <summary>Local mode: the same bookable resources for every seed council, with fixed ids (idempotent).</summary>
internal sealed class ResourceSeeder(PlatformDatabase db) : ILocalSeeder
{
    public int Order => 40;

    private static readonly string[] PitchTimes = ["10:00", "12:00", "14:00", "16:00"];

    internal static readonly IReadOnlyList<Resource> Seed =
    [
        new("pitch-1", ResourceTypes.Pitch, "Football pitch 1", 4500, 1, [6, 7], PitchTimes, 120),
        new("pitch-2", ResourceTypes.Pitch, "Football pitch 2", 4500, 1, [6, 7], PitchTimes, 120),
        new("pavilion", ResourceTypes.Pavilion, "Sports pavilion", 6000, 1, [1, 2, 3, 4, 5, 6, 7], ["18:00", "20:00"], 120),
        new("community-room", ResourceTypes.Room, "Community room", 0, 1, [1, 2, 3, 4, 5],
            ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"], 60),
        // The customer service centre's three interview rooms: three places in each hourly slot.
        new("interview-rooms", ResourceTypes.Room, "Interview rooms", 0, 3, [1, 2, 3, 4, 5],
            ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"], 60),
        new("bulky-waste", ResourceTypes.BulkyWaste, "Bulky waste collection", 3500, 10, [2, 4], [], null),
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var council in SeedCouncils.All)
        {
            await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
            foreach (var r in Seed) await UpsertAsync(tx, r, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Adds a resource unless the council already has one with that id.</summary>
    internal static Task UpsertAsync(TenantTransaction tx, Resource r, CancellationToken ct) => BookingStore.SaveResourceAsync(tx, r, replace: false, ct);
}
