using System.Globalization;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Garden waste prices (waste.garden_prices): a price per bin and the most bins a property may have,
/// from a season on until a later season sets another. PUT /waste/garden-prices/{season}
/// (partnership-admin) sets one (`waste.garden-price-set`, projected inline); GET /waste/garden-prices
/// lists them and GET /waste/garden-prices/{season} answers the price in force for that season (every
/// signed-in role). Subscriptions already taken keep the amount they were asked for.
/// </summary>
internal static class GardenPrices
{
    internal sealed record Request(long? PricePerBinPence, int? MaxBins);

    internal sealed record PriceRow(int FromSeason, long PricePerBinPence, int MaxBins);

    public const long MaxPricePerBinPence = 100_000; // £1,000 a bin
    public const int DefaultMaxBins = 5;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/waste/garden-prices", List).RequireAuthorization(Policies.Read).WithName("GardenPrices");
        api.MapGet("/waste/garden-prices/{season}", Get).RequireAuthorization(Policies.Read).WithName("GardenPrice");
        api.MapPut("/waste/garden-prices/{season}", Put).RequireAuthorization(Policies.PartnershipAdmin).WithName("SetGardenPrice");
    }

    /// <summary>A price as the API shows it: the season asked about and the season it was set from.</summary>
    internal sealed record PriceView(string Season, string FromSeason, long PricePerBinPence, int MaxBins)
    {
        public static PriceView Of(PriceRow p, int? season = null) =>
            new(GardenSeasons.Name(season ?? p.FromSeason), GardenSeasons.Name(p.FromSeason), p.PricePerBinPence, p.MaxBins);
    }

    private static async Task<IResult> List(HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(new { items = await ListAsync(tx, ct).ConfigureAwait(false), next = (string?)null });
    }

    /// <summary>Every price the council has set, oldest season first (GET /waste/garden-prices and the admin screen).</summary>
    internal static async Task<IReadOnlyList<PriceView>> ListAsync(TenantTransaction tx, CancellationToken ct)
    {
        await using var cmd = tx.Command("select from_season, pence_per_bin, max_bins from waste.garden_prices where tenant_id = $1 order by from_season");
        cmd.Parameters.AddWithValue(tx.Tenant);
        var items = new List<PriceView>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) items.Add(PriceView.Of(new PriceRow(r.GetInt32(0), r.GetInt64(1), r.GetInt32(2))));
        return items;
    }

    private static async Task<IResult> Get(string season, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        var year = ParseSeason(season);
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var price = await InForceAsync(tx, year, ct).ConfigureAwait(false)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", $"This council has no garden waste price for {GardenSeasons.Name(year)}.");
        return Results.Ok(PriceView.Of(price, year));
    }

    private static async Task<IResult> Put(string season, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        _ = Validate(season, body); // a 400 before a connection is taken
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var result = await SetAsync(session, season, body, ct).ConfigureAwait(false);
        if (!result.Changed) return Results.Ok(result.Price);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return result.Created
            ? Results.Created($"/api/councils/{session.Tenant}/waste/garden-prices/{result.Price.FromSeason}", result.Price)
            : Results.Ok(result.Price);
    }

    internal sealed record Set(PriceView Price, bool Created, bool Changed);

    private static int Validate(string season, Request? body)
    {
        var v = new Validator();
        var year = GardenSeasons.Parse(season.Trim());
        v.Require(year is not null, "season", "A season is written like 2026-27 (April to March).");
        if (body is null) throw ApiProblemException.Validation("body", "Send { \"pricePerBinPence\": ..., \"maxBins\": ... } as JSON.");
        v.Require(body.PricePerBinPence is >= 1 and <= MaxPricePerBinPence, "pricePerBinPence",
            $"The price per bin is whole pence, 1 to {MaxPricePerBinPence.ToString(CultureInfo.InvariantCulture)}.");
        v.Require(body.MaxBins is null or (>= 1 and <= GardenSubscriptions.MaxBinsEver), "maxBins",
            $"The most bins a property may have is 1 to {GardenSubscriptions.MaxBinsEver.ToString(CultureInfo.InvariantCulture)}.");
        v.ThrowIfInvalid();
        return year!.Value;
    }

    /// <summary>
    /// PUT /waste/garden-prices/{season}'s core, shared with the admin screen: sets the price from that season
    /// in the session (the caller commits when <see cref="Set.Changed"/>); 400 naming each bad field.
    /// </summary>
    internal static async Task<Set> SetAsync(EventSession session, string season, Request? body, CancellationToken ct)
    {
        var year = Validate(season, body);
        // Setters of one council's prices take turns, so "previous" is what the last one left.
        await using (var lockCmd = session.Db.Command("select pg_advisory_xact_lock(hashtextextended($1, 0))"))
        {
            lockCmd.Parameters.AddWithValue("waste-garden-prices/" + session.Tenant);
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var inForce = await InForceAsync(session.Db, year, ct).ConfigureAwait(false);
        var existing = inForce?.FromSeason == year ? inForce : null;
        var wanted = new PriceRow(year, body!.PricePerBinPence!.Value, body.MaxBins ?? inForce?.MaxBins ?? DefaultMaxBins);
        if (existing == wanted) return new Set(PriceView.Of(wanted), Created: false, Changed: false);

        await session.AppendAsync(ConfigurationStreams.GardenPrices, ExpectedVersion.Any,
            [new GardenPriceSet(wanted.FromSeason, wanted.PricePerBinPence, wanted.MaxBins, existing?.PricePerBinPence, existing?.MaxBins)], ct: ct).ConfigureAwait(false);
        return new Set(PriceView.Of(wanted), Created: existing is null, Changed: true);
    }

    private static int ParseSeason(string text) =>
        GardenSeasons.Parse(text.Trim()) ?? throw ApiProblemException.Validation("season", "A season is written like 2026-27 (April to March).");

    /// <summary>The price that applies in <paramref name="season"/>: the latest set from that season or before.</summary>
    private static async Task<PriceRow?> InForceAsync(TenantTransaction tx, int season, CancellationToken ct)
    {
        await using var cmd = tx.Command("""
            select from_season, pence_per_bin, max_bins from waste.garden_prices where tenant_id = $1 and from_season <= $2 order by from_season desc limit 1
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(season);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? new PriceRow(r.GetInt32(0), r.GetInt64(1), r.GetInt32(2)) : null;
    }
}
