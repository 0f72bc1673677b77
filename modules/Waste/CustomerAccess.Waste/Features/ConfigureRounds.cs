using System.Globalization;
using System.Text.RegularExpressions;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Collection rounds and the properties they serve, set up by a partnership admin so a council that
/// joins while the system runs has bin days without a developer (the seed only serves the four local
/// councils). PUT /waste/rounds/{id} adds or changes a round (`waste.round-configured`);
/// PUT /waste/rounds/{id}/properties sets the properties put on it one by one, PUT and DELETE
/// /waste/rounds/{id}/properties/{uprn} add or take off one (`waste.round-properties-changed`).
/// A UPRN must be a current property in the council's gazetteer, asked of the Customer module through
/// the mediator (contracts' <see cref="FindGazetteerAddress"/>); Waste keeps no gazetteer. Reads
/// (GET /waste/rounds, /waste/rounds/{id}, /waste/rounds/{id}/properties) are for every signed-in role.
/// </summary>
internal static partial class ConfigureRounds
{
    internal sealed record Request(string? Name, string? Container, int? Weekday, string? Anchor, string? Frequency);

    internal sealed record PropertiesRequest(long[]? Uprns);

    /// <summary>A round as the API answers it; <c>retired</c>/<c>retiredAt</c> are additive (a retired round collects nothing).</summary>
    internal sealed record RoundView(string Id, string Name, string Container, int Weekday, string Frequency, string Anchor, bool Retired = false,
        DateTimeOffset? RetiredAt = null)
    {
        public static RoundView Of(RoundRow r) =>
            new(r.Id, r.Name, r.Container, r.Weekday, r.Frequency, CollectionCalendar.Text(r.Anchor), r.RetiredAt is not null, r.RetiredAt);
    }

    /// <param name="RetiredAt">when it was retired (waste.round-retired), null while it is collected; never part of a PUT</param>
    internal sealed record RoundRow(string Id, string Name, string Container, int Weekday, string Frequency, DateOnly Anchor, DateTimeOffset? RetiredAt = null)
    {
        public bool IsRetired => RetiredAt is not null;
    }

    /// <summary>The most UPRNs one request may name (each is checked against the gazetteer).</summary>
    public const int MaxUprnsPerRequest = 1000;

    /// <summary>A weekly round sent without an anchor collects on its weekday in the week of this Monday (any week would do).</summary>
    private static readonly DateOnly WeeklyBase = new(2024, 1, 1);

    private static readonly DateOnly EarliestAnchor = new(2000, 1, 1);
    private static readonly DateOnly LatestAnchor = new(2100, 12, 31);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/waste/rounds", List).RequireAuthorization(Policies.Read).WithName("WasteRounds");
        api.MapGet("/waste/rounds/{id}", Get).RequireAuthorization(Policies.Read).WithName("WasteRound");
        api.MapPut("/waste/rounds/{id}", Put).RequireAuthorization(Policies.PartnershipAdmin).WithName("ConfigureWasteRound");
        api.MapGet("/waste/rounds/{id}/properties", Properties).RequireAuthorization(Policies.Read).WithName("WasteRoundProperties");
        api.MapPut("/waste/rounds/{id}/properties", PutProperties).RequireAuthorization(Policies.PartnershipAdmin).WithName("SetWasteRoundProperties");
        api.MapPut("/waste/rounds/{id}/properties/{uprn}", PutProperty).RequireAuthorization(Policies.PartnershipAdmin).WithName("AddWasteRoundProperty");
        api.MapDelete("/waste/rounds/{id}/properties/{uprn}", DeleteProperty).RequireAuthorization(Policies.PartnershipAdmin).WithName("RemoveWasteRoundProperty");
        MapImports(api);
        api.MapPost("/waste/rounds/{id}/retirement", Retire).RequireAuthorization(Policies.PartnershipAdmin).WithName("RetireWasteRound");
    }

    private static async Task<IResult> List(HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        return Results.Ok(new { items = await ListAsync(tx, ct).ConfigureAwait(false), next = (string?)null });
    }

    /// <summary>The council's rounds, by container then id (GET /waste/rounds and the admin screen).</summary>
    internal static async Task<IReadOnlyList<RoundView>> ListAsync(TenantTransaction tx, CancellationToken ct)
    {
        await using var cmd = tx.Command("select id, name, container, weekday, frequency, anchor, retired_at from waste.rounds where tenant_id = $1 order by container, id");
        cmd.Parameters.AddWithValue(tx.Tenant);
        var items = new List<RoundView>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) items.Add(RoundView.Of(Read(r)));
        return items;
    }

    private static async Task<IResult> Get(string id, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var round = await LoadAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
        return Results.Ok(RoundView.Of(round));
    }

    private static async Task<IResult> Put(string id, Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        _ = Decide(id, body); // a 400 before a connection is taken
        var council = http.Council();
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var result = await ConfigureAsync(session, id, body, ct).ConfigureAwait(false);
        if (!result.Changed) return Results.Ok(result.Round);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return result.Created ? Results.Created($"/api/councils/{council}/waste/rounds/{result.Round.Id}", result.Round) : Results.Ok(result.Round);
    }

    internal sealed record Configured(RoundView Round, bool Created, bool Changed);

    private static async Task<IResult> Retire(string id, HttpContext http, EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var result = await RetireAsync(session, id, ct).ConfigureAwait(false);
        if (result.Changed) EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(result.Round);
    }

    /// <summary>
    /// POST /waste/rounds/{id}/retirement's core, shared with the admin screen: records <c>waste.round-retired</c> on the
    /// round's stream (the caller commits when changed). Retiring a retired round changes nothing (200, no event), as a
    /// PUT that changes nothing and revoking a revoked Open311 key do. 404 for an unknown round.
    /// </summary>
    internal static async Task<Configured> RetireAsync(EventSession session, string id, CancellationToken ct)
    {
        var round = await LoadAsync(session.Db, id, forUpdate: true, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
        if (round.IsRetired) return new Configured(RoundView.Of(round), Created: false, Changed: false);
        var properties = await SinglesAsync(session.Db, id, ct).ConfigureAwait(false);
        await session.AppendAsync(ConfigurationStreams.Round(id), ExpectedVersion.Any, [new RoundRetired(id, round.Container, properties.Count)], ct: ct)
            .ConfigureAwait(false);
        var retired = await LoadAsync(session.Db, id, forUpdate: false, ct).ConfigureAwait(false) ?? round;
        return new Configured(RoundView.Of(retired), Created: false, Changed: true);
    }

    /// <summary>
    /// PUT /waste/rounds/{id}'s core, shared with the admin screen: adds or changes the round in the
    /// session (the caller commits when <see cref="Configured.Changed"/>). 400 for a bad field, 409 for
    /// another container.
    /// </summary>
    internal static async Task<Configured> ConfigureAsync(EventSession session, string id, Request? body, CancellationToken ct)
    {
        var wanted = Decide(id, body);
        var existing = await LoadAsync(session.Db, wanted.Id, forUpdate: true, ct).ConfigureAwait(false);
        if (existing is not null && existing.Container != wanted.Container)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"This round collects {existing.Container}; its container cannot change (its properties have a {existing.Container} round through it). Add a new round instead.")
            {
                Extensions = { ["currentContainer"] = existing.Container },
            };
        if (existing is not null && existing with { RetiredAt = null } == wanted) return new Configured(RoundView.Of(existing), Created: false, Changed: false);
        if (existing is { IsRetired: true }) throw Retired(existing, "its settings cannot change");

        await session.AppendAsync(ConfigurationStreams.Round(wanted.Id), ExpectedVersion.Any,
            [new RoundConfigured(wanted.Id, wanted.Name, wanted.Container, wanted.Weekday, wanted.Frequency, wanted.Anchor)], ct: ct).ConfigureAwait(false);
        return new Configured(RoundView.Of(wanted), Created: existing is null, Changed: true);
    }

    /// <summary>The round the request describes, or a 400 naming every field that is wrong.</summary>
    internal static RoundRow Decide(string id, Request? body)
    {
        var v = new Validator();
        v.Require(RoundId().IsMatch(id), "id", "The id is 1 to 40 lowercase letters, digits and dashes, starting with a letter or digit.");
        if (body is null) throw ApiProblemException.Validation("body", "Send the round as JSON.");
        var name = body.Name?.Trim();
        v.Require(!string.IsNullOrEmpty(name) && name.Length <= 100, "name", "Give a name of up to 100 characters.");
        var container = body.Container?.Trim();
        v.Require(container is not null && Containers.All.Contains(container), "container", "Container must be one of " + string.Join(", ", Containers.All) + ".");
        var frequency = body.Frequency?.Trim();
        v.Require(frequency is Round.Weekly or Round.Fortnightly, "frequency", "Frequency is weekly or fortnightly.");
        v.Require(body.Weekday is null or (>= 1 and <= 7), "weekday", "The weekday is an ISO day: 1 = Monday … 7 = Sunday.");

        DateOnly? anchor = null;
        var anchorText = string.IsNullOrWhiteSpace(body.Anchor) ? null : body.Anchor.Trim();
        if (anchorText is not null)
        {
            if (DateOnly.TryParseExact(anchorText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a) && a >= EarliestAnchor && a <= LatestAnchor)
                anchor = a;
            else
                v.Add("anchor", "The anchor is a date (yyyy-MM-dd) the round collects on.");
        }
        if (anchor is { } given && body.Weekday is int day and >= 1 and <= 7 && IsoWeekday(given) != day)
            v.Add("weekday", $"The weekday ({day.ToString(CultureInfo.InvariantCulture)}) does not match the anchor, {anchorText}, which is a {given.DayOfWeek} ({IsoWeekday(given).ToString(CultureInfo.InvariantCulture)}).");
        if (anchorText is null)
        {
            if (frequency == Round.Fortnightly)
                v.Add("anchor", "A fortnightly round needs an anchor: a date it collects on, which says which week.");
            else if (body.Weekday is null)
                v.Add("weekday", "Give the weekday the round collects on (1 = Monday … 7 = Sunday), or an anchor date.");
        }
        v.ThrowIfInvalid();
        var resolved = anchor ?? WeeklyBase.AddDays(body.Weekday!.Value - 1);
        return new RoundRow(id, name!, container!, IsoWeekday(resolved), frequency!, resolved);
    }

    /// <summary>The 409 for a change a retired round does not take (problem body with <c>retiredAt</c>).</summary>
    internal static ApiProblemException Retired(RoundRow round, string what) =>
        new(StatusCodes.Status409Conflict, "Conflict",
            $"Round {round.Id} is retired (no longer collected), so {what}. Put its properties on another {round.Container} round instead.")
        {
            Extensions = { ["retiredAt"] = round.RetiredAt },
        };

    private static int IsoWeekday(DateOnly date) => ((int)date.DayOfWeek + 6) % 7 + 1;

    private static async Task<IResult> Properties(string id, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        _ = await LoadAsync(tx, id, forUpdate: false, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
        return Results.Ok(await PropertiesViewAsync(tx, id, ct).ConfigureAwait(false));
    }

    /// <summary>Sets the properties put on the round one by one to exactly these (ranges from the local seed stay).</summary>
    private static async Task<IResult> PutProperties(string id, PropertiesRequest? body, HttpContext http, EventStore store, IMediator mediator,
        CancellationToken ct)
    {
        if (body?.Uprns is null) throw ApiProblemException.Validation("uprns", "Send { \"uprns\": [...] }: the UPRNs the round collects from (an empty list takes them all off).");
        if (body.Uprns.Length > MaxUprnsPerRequest)
            throw ApiProblemException.Validation("uprns", $"Send at most {MaxUprnsPerRequest.ToString(CultureInfo.InvariantCulture)} UPRNs at a time; add more with PUT .../properties/{{uprn}}.");
        var bad = body.Uprns.Where(u => u is <= 0 or > Rounds.MaxUprn).Take(5).ToList();
        if (bad.Count > 0)
            throw ApiProblemException.Validation("uprns", "A UPRN is a whole number of 1 to 12 digits: " + string.Join(", ", bad.Select(b => b.ToString(CultureInfo.InvariantCulture))) + ".");
        var wanted = body.Uprns.ToHashSet();
        return await ChangeAsync(http, store, session => ChangePropertiesAsync(session, mediator, id,
            current => (wanted.Except(current).Order().ToList(), current.Except(wanted).Order().ToList()), ct), ct).ConfigureAwait(false);
    }

    private static async Task<IResult> PutProperty(string id, string uprn, HttpContext http, EventStore store, IMediator mediator, CancellationToken ct)
    {
        var property = Rounds.ParseUprn(uprn);
        return await ChangeAsync(http, store, session => AddPropertyAsync(session, mediator, id, property, ct), ct).ConfigureAwait(false);
    }

    private static async Task<IResult> DeleteProperty(string id, string uprn, HttpContext http, EventStore store, IMediator mediator, CancellationToken ct)
    {
        var property = Rounds.ParseUprn(uprn);
        return await ChangeAsync(http, store, session => RemovePropertyAsync(session, mediator, id, property, ct), ct).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, EventStore store, Func<EventSession, Task<PropertiesChanged>> change, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var result = await change(session).ConfigureAwait(false);
        if (result.Changed) EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(result.Properties);
    }

    internal sealed record PropertiesChanged(PropertiesView Properties, bool Changed);

    /// <summary>PUT /waste/rounds/{id}/properties/{uprn}'s core (and the admin screen's): puts one property on the round, gazetteer-checked.</summary>
    internal static Task<PropertiesChanged> AddPropertyAsync(EventSession session, IMediator mediator, string id, long uprn, CancellationToken ct) =>
        ChangePropertiesAsync(session, mediator, id, current => (current.Contains(uprn) ? [] : [uprn], []), ct);

    /// <summary>DELETE /waste/rounds/{id}/properties/{uprn}'s core (and the admin screen's): 404 when it is not on the round by itself.</summary>
    internal static Task<PropertiesChanged> RemovePropertyAsync(EventSession session, IMediator mediator, string id, long uprn, CancellationToken ct) =>
        ChangePropertiesAsync(session, mediator, id, current => current.Contains(uprn)
            ? ([], [uprn])
            : throw new ApiProblemException(StatusCodes.Status404NotFound, "Not found", "This property is not on this round."), ct);

    /// <summary>
    /// Changes the round's own properties in the session (the caller commits when changed): each added UPRN must be
    /// a current gazetteer address, else a 400 on <c>uprns</c> and nothing is written.
    /// </summary>
    private static async Task<PropertiesChanged> ChangePropertiesAsync(EventSession session, IMediator mediator, string id,
        Func<IReadOnlySet<long>, (List<long> Added, List<long> Removed)> change, CancellationToken ct)
    {
        var council = session.Tenant;
        // The round's row lock makes changes to one round take turns, so each reads the list the last one left.
        var round = await LoadAsync(session.Db, id, forUpdate: true, ct).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("The round");
        var current = await SinglesAsync(session.Db, id, ct).ConfigureAwait(false);
        var (added, removed) = change(current);
        if (added.Count == 0 && removed.Count == 0) return new PropertiesChanged(await PropertiesViewAsync(session.Db, id, ct).ConfigureAwait(false), Changed: false);
        if (added.Count > 0 && round.IsRetired) throw Retired(round, "it takes no new properties");

        var unknown = new List<long>();
        foreach (var uprn in added)
        {
            if (await mediator.Send(new FindGazetteerAddress(council, uprn), ct).ConfigureAwait(false) is not { Current: true })
                unknown.Add(uprn);
        }
        if (unknown.Count > 0)
            throw ApiProblemException.Validation("uprns", (unknown.Count == 1 ? "This UPRN is" : "These UPRNs are") + " not a current address in the council's gazetteer: "
                + string.Join(", ", unknown.Take(10).Select(u => u.ToString(CultureInfo.InvariantCulture))) + (unknown.Count > 10 ? $" and {(unknown.Count - 10).ToString(CultureInfo.InvariantCulture)} more." : "."));

        var moved = await MovedFromAsync(session.Db, round, added, ct).ConfigureAwait(false);
        await session.AppendAsync(ConfigurationStreams.Round(id), ExpectedVersion.Any,
            [new RoundPropertiesChanged(id, round.Container, added, removed, moved)], ct: ct).ConfigureAwait(false);
        return new PropertiesChanged(await PropertiesViewAsync(session.Db, id, ct).ConfigureAwait(false), Changed: true);
    }

    private static async Task<IReadOnlySet<long>> SinglesAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("select uprn_from from waste.round_assignments where tenant_id = $1 and round_id = $2 and uprn_from = uprn_to");
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var set = new HashSet<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) set.Add(r.GetInt64(0));
        return set;
    }

    private static async Task<IReadOnlyList<MovedProperty>> MovedFromAsync(TenantTransaction tx, RoundRow round, List<long> added, CancellationToken ct)
    {
        if (added.Count == 0) return [];
        await using var cmd = tx.Command("""
            select a.uprn_from, a.round_id from waste.round_assignments a
            join waste.rounds r on r.tenant_id = a.tenant_id and r.id = a.round_id
            where a.tenant_id = $1 and r.container = $2 and a.round_id <> $3 and a.uprn_from = a.uprn_to and a.uprn_from = any($4)
            order by a.uprn_from
            """);
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(round.Container);
        cmd.Parameters.AddWithValue(round.Id);
        cmd.Parameters.AddWithValue(added.ToArray());
        var list = new List<MovedProperty>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new MovedProperty(r.GetInt64(0), r.GetString(1)));
        return list;
    }

    internal sealed record PropertyItem(long Uprn);

    internal sealed record UprnRange(long UprnFrom, long UprnTo);

    /// <summary>GET /waste/rounds/{id}/properties: those put on it one by one (<c>items</c>) and any UPRN ranges (the local seed's).</summary>
    internal sealed record PropertiesView(string RoundId, IReadOnlyList<PropertyItem> Items, IReadOnlyList<UprnRange> Ranges)
    {
        public string? Next => null;
    }

    internal static async Task<PropertiesView> PropertiesViewAsync(TenantTransaction tx, string id, CancellationToken ct)
    {
        await using var cmd = tx.Command("select uprn_from, uprn_to from waste.round_assignments where tenant_id = $1 and round_id = $2 order by uprn_from");
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        var items = new List<PropertyItem>();
        var ranges = new List<UprnRange>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var (from, to) = (r.GetInt64(0), r.GetInt64(1));
            if (from == to) items.Add(new PropertyItem(from));
            else ranges.Add(new UprnRange(from, to));
        }
        return new PropertiesView(id, items, ranges);
    }

    internal static async Task<RoundRow?> LoadAsync(TenantTransaction tx, string id, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = tx.Command("select id, name, container, weekday, frequency, anchor, retired_at from waste.rounds where tenant_id = $1 and id = $2"
            + (forUpdate ? " for update" : ""));
        cmd.Parameters.AddWithValue(tx.Tenant);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
    }

    private static RoundRow Read(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt16(3), r.GetString(4), r.GetFieldValue<DateOnly>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex RoundId();
}
