using System.Globalization;
using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// Garden waste subscriptions, one per property and season (April to March), paid through Payments:
/// POST /waste/garden-subscriptions {customerId, uprn, bins, season?} → 201 pending-payment with
/// paymentDue; POST /waste/garden-subscriptions/{id}/renewal {bins?} → 201 for the next season;
/// GET /waste/garden-subscriptions?uprn=|customerId= and GET /waste/garden-subscriptions/{id}.
/// The payment request (contracts' PaymentRequested, purpose garden-waste-subscription, fund
/// garden-waste) is sent through the outbox in the same transaction as the request; the
/// subscription becomes active only when Payments answers PaymentRequestPaid.
/// A second subscription for a property and season that has a pending or active one → 409 with
/// existingSubscriptionId (an unpaid one whose payment request has expired lapses instead).
/// </summary>
internal static class GardenSubscriptions
{
    public const int MaxBinsEver = 20;

    internal sealed record Request(string? CustomerId, long? Uprn, int? Bins, string? Season);

    internal sealed record RenewalRequest(int? Bins);

    internal sealed record Price(long PencePerBin, int MaxBins);

    internal sealed record Subscription(
        string Id, string Reference, string CustomerId, long Uprn, int Season, int Bins, long AmountPence, string Status, DateOnly ValidFrom,
        DateOnly ValidTo, Guid PaymentRequestId, DateTimeOffset? PaymentExpiresAt, string? PaymentId, string? ReceiptNumber, string? LastFailure,
        int FailedAttempts, string? RenewalOf, DateTimeOffset CreatedAt, long Version)
    {
        public const string Columns = """
            id, reference, customer_id, uprn, season, bins, amount_pence, status, valid_from, valid_to, payment_request_id, payment_expires_at,
            payment_id, receipt_number, last_failure, failed_attempts, renewal_of, created_at, version
            """;

        public static Subscription Read(NpgsqlDataReader r) => new(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt32(4), r.GetInt32(5), r.GetInt64(6), r.GetString(7),
            r.GetFieldValue<DateOnly>(8), r.GetFieldValue<DateOnly>(9), r.GetGuid(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
            r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetInt32(15),
            r.IsDBNull(16) ? null : r.GetString(16), r.GetFieldValue<DateTimeOffset>(17), r.GetInt64(18));

        public string SeasonName => GardenSeasons.Name(Season);

        public PaymentDue? PaymentDue => Status == GardenStatus.PendingPayment
            ? new PaymentDue(PaymentRequestId, GardenSeasons.Fund, AmountPence, Reference, PaymentExpiresAt)
            : null;

        /// <summary>The API's shape (also what the 201 answers).</summary>
        public object Json() => new
        {
            id = Id, reference = Reference, status = Status, season = SeasonName, bins = Bins, validFrom = GardenSeasons.Text(ValidFrom),
            validTo = GardenSeasons.Text(ValidTo), customerId = CustomerId, uprn = Uprn, amountPence = AmountPence, renewalOf = RenewalOf,
            paymentDue = PaymentDue is { } due
                ? new { paymentRequestId = due.PaymentRequestId, fund = due.Fund, amountPence = due.AmountPence, reference = due.Reference, expiresAt = due.ExpiresAt }
                : null,
            payment = PaymentId is null ? null : new { paymentId = PaymentId, receiptNumber = ReceiptNumber },
            lastPaymentFailure = LastFailure, failedPaymentAttempts = FailedAttempts, createdAt = CreatedAt,
        };
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/waste/garden-subscriptions", Create).RequireAuthorization(Policies.Casework).WithName("SubscribeGardenWaste");
        api.MapPost("/waste/garden-subscriptions/{id}/renewal", Renew).RequireAuthorization(Policies.Casework).WithName("RenewGardenWaste");
        api.MapGet("/waste/garden-subscriptions", List).RequireAuthorization(Policies.Read).WithName("ListGardenSubscriptions");
        api.MapGet("/waste/garden-subscriptions/{id}", One).RequireAuthorization(Policies.Read).WithName("GetGardenSubscription");
    }

    private static async Task<IResult> Create(Request? body, HttpContext http, EventStore store, WasteClock clock, ICouncilDirectory councils, CancellationToken ct)
    {
        var council = http.Council();
        var prefix = (await councils.RequireAsync(council, ct).ConfigureAwait(false)).ReferencePrefix;
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var created = await SubscribeAsync(session, prefix, body, clock.UtcNow, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Created($"/api/councils/{council}/waste/garden-subscriptions/{created.Id}", created.Json());
    }

    private static async Task<IResult> Renew(string id, RenewalRequest? body, HttpContext http, EventStore store, WasteClock clock, ICouncilDirectory councils,
        CancellationToken ct)
    {
        var council = http.Council();
        var prefix = (await councils.RequireAsync(council, ct).ConfigureAwait(false)).ReferencePrefix;
        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        var created = await RenewAsync(session, prefix, id, body?.Bins, clock.UtcNow, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Created($"/api/councils/{council}/waste/garden-subscriptions/{created.Id}", created.Json());
    }

    private static async Task<IResult> List(string? uprn, string? customerId, HttpContext http, EventStore store, CancellationToken ct)
    {
        var council = http.Council();
        long? property = uprn is null ? null : Rounds.ParseUprn(uprn);
        customerId = customerId?.Trim();
        if (property is null && string.IsNullOrEmpty(customerId))
            throw ApiProblemException.Validation("uprn", "Say whose subscriptions to list: uprn=... or customerId=....");
        if (customerId is { Length: > 64 }) throw ApiProblemException.Validation("customerId", "This is not a customer id.");
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        var items = await FindAsync(tx.Connection, tx.Transaction, council, property, string.IsNullOrEmpty(customerId) ? null : customerId, ct).ConfigureAwait(false);
        return Results.Ok(new { items = items.Select(s => s.Json()), next = (string?)null });
    }

    private static async Task<IResult> One(string id, HttpContext http, EventStore store, CancellationToken ct)
    {
        var council = http.Council();
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        var found = await LoadAsync(tx.Connection, tx.Transaction, council, id, false, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The garden waste subscription");
        return Results.Ok(found.Json());
    }

    /// <summary>Validates and records a new subscription in the session (the caller commits). The endpoint and the screen both call this.</summary>
    public static async Task<Subscription> SubscribeAsync(EventSession session, string referencePrefix, Request? body, DateTimeOffset now, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, uprn and bins is required.");
        var customerId = body.CustomerId?.Trim();
        var seasonText = string.IsNullOrWhiteSpace(body.Season) ? null : body.Season.Trim();
        var requestedSeason = GardenSeasons.Parse(seasonText);
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(customerId) && customerId.Length <= 64, "customerId", "Say which customer is subscribing.");
        v.Require(body.Uprn is > 0 and <= Rounds.MaxUprn, "uprn", "A UPRN is a whole number of 1 to 12 digits.");
        v.Require(body.Bins is >= 1 and <= MaxBinsEver, "bins", $"Say how many garden waste bins: from 1 to {MaxBinsEver}.");
        v.Require(seasonText is null || requestedSeason is not null, "season", "A season is written like 2026-27 (April to March).");
        v.ThrowIfInvalid();
        var uprn = body.Uprn!.Value;
        var today = CollectionCalendar.LocalDate(now);
        var current = GardenSeasons.Of(today);
        var season = requestedSeason ?? current;
        if (season != current && season != current + 1)
            throw ApiProblemException.Validation("season",
                $"Subscriptions can be taken for this season ({GardenSeasons.Name(current)}) or the next ({GardenSeasons.Name(current + 1)}).");

        if (await session.StreamVersionAsync(CustomerStreams.For(customerId!), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
        return await DecideAsync(session, referencePrefix, customerId!, uprn, body.Bins!.Value, season, null, now, ct).ConfigureAwait(false);
    }

    /// <summary>Renews a paid subscription for the season after it (or this season, if it is older): pending until paid.</summary>
    public static async Task<Subscription> RenewAsync(EventSession session, string referencePrefix, string id, int? bins, DateTimeOffset now, CancellationToken ct)
    {
        var source = await LoadAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, id, false, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The garden waste subscription");
        if (bins is < 1 or > MaxBinsEver) throw ApiProblemException.Validation("bins", $"Say how many garden waste bins: from 1 to {MaxBinsEver}.");
        if (source.Status != GardenStatus.Active)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"Only a paid subscription can be renewed; this one is {source.Status}. Take a new subscription instead.")
            {
                Extensions = { ["currentStatus"] = source.Status },
            };
        var current = GardenSeasons.Of(CollectionCalendar.LocalDate(now));
        var season = Math.Max(source.Season + 1, current);
        if (season > current + 1)
            throw ApiProblemException.Conflict(
                $"Renewals for {GardenSeasons.Name(season)} open in April {(season - 1).ToString(CultureInfo.InvariantCulture)}, when {GardenSeasons.Name(season - 1)} begins.");
        return await DecideAsync(session, referencePrefix, source.CustomerId, source.Uprn, bins ?? source.Bins, season, source.Id, now, ct).ConfigureAwait(false);
    }

    private static async Task<Subscription> DecideAsync(EventSession session, string referencePrefix, string customerId, long uprn, int bins, int season, string? renewalOf,
        DateTimeOffset now, CancellationToken ct)
    {
        var council = session.Tenant;
        var rounds = await Rounds.ForUprnAsync(session.Db.Connection, session.Db.Transaction, council, uprn, ct).ConfigureAwait(false);
        if (rounds.All(r => r.Container != Containers.Garden))
            throw ApiProblemException.Validation("uprn", "This property is not on a garden waste collection round of this council.");
        var price = await PriceAsync(session.Db.Connection, session.Db.Transaction, council, season, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.Validation("season", $"This council has no garden waste price for {GardenSeasons.Name(season)} yet.");
        if (bins > price.MaxBins)
            throw ApiProblemException.Validation("bins", $"A property can have at most {price.MaxBins.ToString(CultureInfo.InvariantCulture)} garden waste bins.");

        // One live subscription per property and season, decided under a lock on that pair.
        await using (var lockCmd = session.Db.Command("select pg_advisory_xact_lock(hashtextextended($1, 0))"))
        {
            lockCmd.Parameters.AddWithValue($"waste-garden/{council}/{uprn.ToString(CultureInfo.InvariantCulture)}/{season.ToString(CultureInfo.InvariantCulture)}");
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var live = (await FindAsync(session.Db.Connection, session.Db.Transaction, council, uprn, null, ct).ConfigureAwait(false))
            .FirstOrDefault(s => s.Season == season && s.Status is GardenStatus.PendingPayment or GardenStatus.Active);
        if (live is not null)
        {
            if (live.Status == GardenStatus.PendingPayment && live.PaymentExpiresAt is { } expires && expires <= now)
            {
                // Never paid in time: it lapses, and Payments stops taking money against it.
                await session.AppendAsync(GardenStreams.For(live.Id), live.Version,
                    [new GardenSubscriptionLapsed(live.Id, live.Reference, live.PaymentRequestId)], live.CustomerId, ct).ConfigureAwait(false);
                await session.SendAsync(new PaymentRequestWithdrawn(live.PaymentRequestId, "Garden waste subscription lapsed unpaid"), ct).ConfigureAwait(false);
            }
            else
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                    $"This property already has a garden waste subscription for {GardenSeasons.Name(season)} ({live.Reference}, {live.Status}).")
                {
                    Extensions = { ["existingSubscriptionId"] = live.Id, ["existingStatus"] = live.Status, ["existingReference"] = live.Reference },
                };
            }
        }

        var id = Guid.CreateVersion7().ToString();
        var reference = await NextReferenceAsync(session, referencePrefix, season, ct).ConfigureAwait(false);
        var today = CollectionCalendar.LocalDate(now);
        var validFrom = GardenSeasons.Start(season) > today ? GardenSeasons.Start(season) : today;
        var validTo = GardenSeasons.End(season);
        var amount = price.PencePerBin * bins;
        var paymentRequestId = Guid.CreateVersion7();
        var expiresAt = now + GardenSeasons.PaymentWindow;
        await session.AppendAsync(GardenStreams.For(id), ExpectedVersion.NoStream,
            [new GardenSubscriptionRequested(id, reference, season, bins, price.PencePerBin, amount, validFrom, validTo, uprn, paymentRequestId, expiresAt, renewalOf)],
            customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new PaymentRequested(paymentRequestId, customerId, GardenSeasons.Fund, amount, PaymentPurposes.GardenWasteSubscription, id,
            reference, $"Garden waste {GardenSeasons.Name(season)}, {GardenSeasons.BinsText(bins)}", expiresAt), ct).ConfigureAwait(false);
        return new Subscription(id, reference, customerId, uprn, season, bins, amount, GardenStatus.PendingPayment, validFrom, validTo, paymentRequestId,
            expiresAt, null, null, null, 0, renewalOf, now, 1);
    }

    /// <summary>The council's price per bin for a season (the latest price from that season or before), or null when it sets none.</summary>
    public static async Task<Price?> PriceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council, int season, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select pence_per_bin, max_bins from waste.garden_prices where tenant_id = $1 and from_season <= $2 order by from_season desc limit 1
            """, connection, transaction);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(season);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? new Price(r.GetInt64(0), r.GetInt32(1)) : null;
    }

    public static async Task<Subscription?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council, string id, bool forUpdate,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select {Subscription.Columns} from waste.garden_subscriptions where tenant_id = $1 and id = $2{(forUpdate ? " for update" : "")}", connection, transaction);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.AddWithValue(id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Subscription.Read(r) : null;
    }

    /// <summary>A property's or a customer's subscriptions, newest season first (at most 100).</summary>
    public static async Task<IReadOnlyList<Subscription>> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council, long? uprn,
        string? customerId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Subscription.Columns} from waste.garden_subscriptions
            where tenant_id = $1 and ($2::bigint is null or uprn = $2) and ($3::text is null or customer_id = $3)
            order by season desc, created_at desc limit 100
            """, connection, transaction);
        cmd.Parameters.AddWithValue(council);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)uprn ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<Subscription>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(Subscription.Read(r));
        return list;
    }

    /// <summary>{PREFIX}-GW-{season}-{000000}, numbered per council and season in the request's transaction (no gaps: a rollback gives it back).</summary>
    private static async Task<string> NextReferenceAsync(EventSession session, string prefix, int season, CancellationToken ct)
    {
        await using var cmd = session.Db.Command("""
            insert into waste.reference_counters (tenant_id, series, last) values ($1, $2, 1)
            on conflict (tenant_id, series) do update set last = waste.reference_counters.last + 1
            returning last
            """);
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue("garden-" + season.ToString(CultureInfo.InvariantCulture));
        var number = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        return $"{prefix}-GW-{season.ToString(CultureInfo.InvariantCulture)}-{number.ToString("D6", CultureInfo.InvariantCulture)}";
    }
}
