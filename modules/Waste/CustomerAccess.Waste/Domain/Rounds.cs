using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using Npgsql;

namespace CustomerAccess.Waste.Domain;

/// <summary>Rounds and which properties they serve (waste.rounds, waste.round_assignments).</summary>
internal static class Rounds
{
    public const long MaxUprn = 999_999_999_999; // UPRNs are at most 12 digits

    /// <summary>The property's rounds, one per container (refuse, recycling, food, garden order), empty when it is on none. Where
    /// assignments overlap the narrowest wins, so a property put on a round by itself (the admin API) overrides a range (the seed).
    /// A retired round is skipped: its properties are on no round of its container unless another assignment covers them.</summary>
    public static async Task<IReadOnlyList<Round>> ForUprnAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council, long uprn,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select distinct on (r.container) r.id, r.container, r.frequency, r.anchor, r.name
            from waste.round_assignments a
            join waste.rounds r on r.tenant_id = a.tenant_id and r.id = a.round_id
            where a.tenant_id = $1 and a.uprn_from <= $2 and a.uprn_to >= $2 and r.retired_at is null
            order by r.container, a.uprn_to - a.uprn_from, r.id
            """, connection, transaction);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(uprn);
        var list = new List<Round>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Round(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateOnly>(3), r.GetString(4)));
        return list.OrderBy(x => Order(x.Container)).ToList();
    }

    private static int Order(string container)
    {
        var i = Containers.All.ToList().IndexOf(container);
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>Parses a UPRN from a query string: 400 with a reason when it is not one.</summary>
    public static long ParseUprn(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw ApiProblemException.Validation("uprn", "Give the property's UPRN (uprn=...).");
        if (!long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uprn)
            || uprn is <= 0 or > MaxUprn)
            throw ApiProblemException.Validation("uprn", "A UPRN is a whole number of 1 to 12 digits.");
        return uprn;
    }

    public static async Task<IReadOnlySet<DateOnly>> HolidaysAsync(ICouncilDirectory directory, string council, CancellationToken ct)
    {
        var info = await directory.GetAsync(council, ct).ConfigureAwait(false);
        return (info?.BankHolidays ?? []).ToHashSet();
    }
}

/// <summary>
/// Local mode: each seed council's rounds and which UPRNs they serve (idempotent). The Waste module
/// does not read the gazetteer (another module's tables); it assigns by a rule over UPRN ranges
/// instead. The local gazetteer numbers a council's properties from custodian code × 10^7 upwards,
/// so the first 2,000 UPRNs from there are split into ten areas of 200: area k is collected on
/// weekday k mod 5 (Monday..Friday), in week A (areas 0–4) or week B (5–9). Each area has a
/// fortnightly refuse round, a fortnightly recycling round in the other week, a weekly food round
/// and a fortnightly garden round (with recycling). Anchors are in the week of Monday 2026-01-05.
/// </summary>
internal sealed class WasteSeeder(PlatformDatabase db) : ILocalSeeder
{
    public int Order => 50;

    private static readonly IReadOnlyDictionary<string, long> Custodians = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [SeedCouncils.Cheltenham] = 1615,
        [SeedCouncils.Cotswold] = 1605,
        [SeedCouncils.ForestOfDean] = 1610,
        [SeedCouncils.WestOxfordshire] = 3135,
    };

    public const int Areas = 10;
    public const long AreaSize = 200;
    private static readonly DateOnly WeekA = new(2026, 1, 5);
    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri"];

    internal sealed record SeedRound(string Id, string Container, string Frequency, DateOnly Anchor, string Name, long UprnFrom, long UprnTo);

    /// <summary>The rounds the rule gives a council whose UPRNs start at <paramref name="baseUprn"/>.</summary>
    internal static IEnumerable<SeedRound> RoundsFor(long baseUprn)
    {
        for (var area = 0; area < Areas; area++)
        {
            var day = area % 5;
            var weekB = area >= 5;
            var from = baseUprn + area * AreaSize;
            var to = from + AreaSize - 1;
            var own = WeekA.AddDays(day + (weekB ? 7 : 0));
            var other = own.AddDays(7);
            var week = weekB ? "b" : "a";
            var otherWeek = weekB ? "a" : "b";
            yield return new($"refuse-{Days[day]}-{week}", Containers.Refuse, Round.Fortnightly, own, $"Refuse {Days[day]} week {week.ToUpperInvariant()}", from, to);
            yield return new($"recycling-{Days[day]}-{otherWeek}", Containers.Recycling, Round.Fortnightly, other, $"Recycling {Days[day]} week {otherWeek.ToUpperInvariant()}", from, to);
            yield return new($"food-{Days[day]}", Containers.Food, Round.Weekly, WeekA.AddDays(day), $"Food {Days[day]}", from, to);
            yield return new($"garden-{Days[day]}-{otherWeek}", Containers.Garden, Round.Fortnightly, other, $"Garden {Days[day]} week {otherWeek.ToUpperInvariant()}", from, to);
        }
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (council, custodian) in Custodians)
        {
            await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
            foreach (var round in RoundsFor(custodian * 10_000_000L))
            {
                await using (var cmd = tx.Command("""
                    insert into waste.rounds (tenant_id, id, container, weekday, frequency, anchor, name) values ($1, $2, $3, $4, $5, $6, $7)
                    on conflict do nothing
                    """))
                {
                    cmd.Parameters.AddWithValue(council);
                    cmd.Parameters.AddWithValue(round.Id);
                    cmd.Parameters.AddWithValue(round.Container);
                    cmd.Parameters.AddWithValue((short)(((int)round.Anchor.DayOfWeek + 6) % 7 + 1));
                    cmd.Parameters.AddWithValue(round.Frequency);
                    cmd.Parameters.AddWithValue(round.Anchor);
                    cmd.Parameters.AddWithValue(round.Name);
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                await using (var cmd = tx.Command("insert into waste.round_assignments (tenant_id, round_id, uprn_from, uprn_to) values ($1, $2, $3, $4) on conflict do nothing"))
                {
                    cmd.Parameters.AddWithValue(council);
                    cmd.Parameters.AddWithValue(round.Id);
                    cmd.Parameters.AddWithValue(round.UprnFrom);
                    cmd.Parameters.AddWithValue(round.UprnTo);
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }
            await using (var price = tx.Command("""
                insert into waste.garden_prices (tenant_id, from_season, pence_per_bin, max_bins) values ($1, 2024, $2, 5) on conflict do nothing
                """))
            {
                price.Parameters.AddWithValue(council);
                price.Parameters.AddWithValue(GardenPrices.GetValueOrDefault(council, 4500L));
                await price.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Local garden waste prices per bin per season (from the 2024-25 season), at most 5 bins a property.</summary>
    internal static readonly IReadOnlyDictionary<string, long> GardenPrices = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [SeedCouncils.Cheltenham] = 4800,
        [SeedCouncils.Cotswold] = 4000,
        [SeedCouncils.ForestOfDean] = 4250,
        [SeedCouncils.WestOxfordshire] = 4600,
    };
}
