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
    internal static async Task UpsertAsync(TenantTransaction tx, Resource r, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            insert into bookings.resources (tenant_id, id, type, name, price_pence, capacity, weekdays, starts, slot_minutes)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (tenant_id, id) do nothing
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(r.Id);
        cmd.Parameters.AddWithValue(r.Type);
        cmd.Parameters.AddWithValue(r.Name);
        cmd.Parameters.AddWithValue(r.PricePence);
        cmd.Parameters.AddWithValue(r.Capacity);
        cmd.Parameters.AddWithValue(r.Weekdays.ToArray());
        cmd.Parameters.AddWithValue(r.Starts.ToArray());
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)r.SlotMinutes ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
