using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Submissions;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// POST /waste/missed-bins {customerId, uprn, container} → 201 {id, worksOrderId}. One works order
/// per property, container and collection: the (uprn, container, collection date) key is claimed in
/// the report's own transaction, so a repeat (even one racing the first) answers 200 with the
/// existing order and is recorded as failure demand on the order's stream. Refused (400, with the
/// reason) before 16:00 local on collection day (the crew may still come), or for a property/container
/// on no round. A late report (after the second working day) is taken, about the last collection. The works order is sent to the contractor through the outbox,
/// queued in the same transaction.
/// </summary>
internal static class ReportMissedBin
{
    /// <param name="IdempotencyKey">optional: the same key and body again records nothing, not even a repeat report (200, the same answer)</param>
    internal sealed record Request(string? CustomerId, long? Uprn, string? Container, string? CaseId = null, string? IdempotencyKey = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/waste/missed-bins", Handle).RequireAuthorization(Policies.Casework).WithName("ReportMissedBin");

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, ICouncilDirectory directory, WasteClock clock,
        CancellationToken ct)
    {
        var council = http.Council();
        var (customerId, uprn, container, caseId) = Validate(body);
        var outcome = await ReportAsync(store, council, http.EventContext(), customerId, uprn, container, caseId, null, directory, clock, ct, body?.IdempotencyKey)
            .ConfigureAwait(false);
        EventPositionHeader.Set(http, outcome.Position);
        var answer = new
        {
            id = outcome.ReportId, worksOrderId = outcome.WorksOrderId, status = outcome.Status,
            collectionDate = CollectionCalendar.Text(outcome.CollectionDate), repeat = outcome.Repeat,
        };
        return outcome.Repeat || outcome.Replayed ? Results.Ok(answer) : Results.Created($"/api/councils/{council}/waste/works-orders/{outcome.WorksOrderId}", answer);
    }

    /// <summary>The request's own checks (400 with errors by field); the endpoint and the missed-bin screen share them.</summary>
    internal static (string CustomerId, long Uprn, string Container, string? CaseId) Validate(Request? body)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, uprn and container is required.");
        var customerId = body.CustomerId?.Trim();
        var container = body.Container?.Trim().ToLowerInvariant();
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(customerId) && customerId.Length <= 64, "customerId", "Say which customer is reporting the missed bin.");
        v.Require(body.Uprn is > 0 and <= Rounds.MaxUprn, "uprn", "A UPRN is a whole number of 1 to 12 digits.");
        v.Require(container is not null && Containers.All.Contains(container), "container", "Container must be one of " + string.Join(", ", Containers.All) + ".");
        var caseId = WorksOrderCases.Clean(body.CaseId, v);
        v.ThrowIfInvalid();
        return (customerId!, body.Uprn!.Value, container!, caseId);
    }

    /// <summary>What a report came to: the (possibly earlier) report and its works order, and where it landed in the log.</summary>
    /// <param name="Replayed">the request replayed an earlier one's idempotency key: nothing was recorded, this is that one's answer</param>
    internal sealed record Outcome(string ReportId, string WorksOrderId, string Status, DateOnly CollectionDate, bool Repeat, long? Position, bool Replayed = false);

    /// <summary>
    /// The decision alone, in a read-only transaction: the property's round for the container and the
    /// collection that may be reported now, or the 400 refusal (not on a round, too early, too late).
    /// Lets a caller refuse before doing anything else (e.g. registering the reporter).
    /// </summary>
    internal static async Task<DateOnly> CheckAsync(EventStore store, string council, long uprn, string container, ICouncilDirectory directory,
        WasteClock clock, CancellationToken ct)
    {
        var holidays = await Rounds.HolidaysAsync(directory, council, ct).ConfigureAwait(false);
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        return (await DecideAsync(tx.Connection, tx.Transaction, council, uprn, container, clock.UtcNow, holidays, ct).ConfigureAwait(false)).Collection;
    }

    private static async Task<(Round Round, DateOnly Collection)> DecideAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction,
        string council, long uprn, string container, DateTimeOffset now, IReadOnlySet<DateOnly> holidays, CancellationToken ct)
    {
        var round = (await Rounds.ForUprnAsync(connection, transaction, council, uprn, ct).ConfigureAwait(false))
            .FirstOrDefault(r => r.Container == container)
            ?? throw ApiProblemException.Validation("container", $"This property has no {container} collection round in this council.");
        var (collection, refusal) = CollectionCalendar.MissedCollection(round, now, holidays);
        if (refusal is not null)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Missed bin cannot be reported now", refusal)
            {
                Errors = new Dictionary<string, string[]> { ["container"] = [refusal] },
            };
        return (round, collection!.Value);
    }

    /// <summary>
    /// The use case, for this route and Open311 alike: checks the customer, decides, claims the key and
    /// raises (or finds) the works order; commits. Throws the 400 problems described above. With a
    /// <paramref name="caseId"/> (a case of the council, else 400 <c>caseId</c>) a new order is linked to
    /// the case and its progress sent there; a repeat keeps the existing order's link. <paramref name="mediaUrl"/>
    /// (Open311's media_url, already checked by the caller) is kept with the report.
    /// </summary>
    internal static async Task<Outcome> ReportAsync(EventStore store, string council, EventContext context, string customerId, long uprn,
        string container, string? caseId, string? mediaUrl, ICouncilDirectory directory, WasteClock clock, CancellationToken ct, string? idempotencyKey = null)
    {
        var holidays = await Rounds.HolidaysAsync(directory, council, ct).ConfigureAwait(false);
        var now = clock.UtcNow;

        await using var session = await store.OpenSessionAsync(council, context, ct).ConfigureAwait(false);
        // A replayed form (double click, back and resubmit) is not a second report: no "reported again",
        // which would count as failure demand. Its answer is the first one's (result: report, order, date, repeat).
        if (await session.ClaimSubmissionAsync(idempotencyKey, "waste.missed-bin", SubmissionKeys.Fingerprint(customerId,
                uprn.ToString(System.Globalization.CultureInfo.InvariantCulture), container, caseId), ct).ConfigureAwait(false) is { } replayed)
        {
            var parts = replayed.Split(' ');
            return new Outcome(parts[0], parts[1], await StatusAsync(session, parts[1], ct).ConfigureAwait(false),
                DateOnly.ParseExact(parts[2], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), parts[3] == "repeat", null, Replayed: true);
        }
        if (await session.StreamVersionAsync(CustomerStreams.For(customerId), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
        await WorksOrderCases.RequireAsync(session, caseId, ct).ConfigureAwait(false);
        var (round, collection) = await DecideAsync(session.Db.Connection, session.Db.Transaction, council, uprn, container, now, holidays, ct)
            .ConfigureAwait(false);

        var reportId = Guid.CreateVersion7().ToString();
        var worksOrderId = Guid.CreateVersion7().ToString();
        var existing = await ClaimAsync(session, uprn, container, collection, reportId, worksOrderId, ct).ConfigureAwait(false);
        if (existing is { } earlier)
        {
            var status = await StatusAsync(session, earlier.WorksOrderId, ct).ConfigureAwait(false);
            var version = await session.StreamVersionAsync(WasteStreams.WorksOrder(earlier.WorksOrderId), ct).ConfigureAwait(false);
            await session.AppendAsync(WasteStreams.WorksOrder(earlier.WorksOrderId), version,
                [new MissedBinReportedAgain(earlier.ReportId, earlier.WorksOrderId, container, collection, status, mediaUrl)], customerId, ct).ConfigureAwait(false);
            await session.CompleteSubmissionAsync(Answer(earlier.ReportId, earlier.WorksOrderId, collection, repeat: true), ct).ConfigureAwait(false);
            var again = await session.CommitAsync(ct).ConfigureAwait(false);
            return new Outcome(earlier.ReportId, earlier.WorksOrderId, status, collection, Repeat: true, again);
        }

        await session.AppendAsync(WasteStreams.WorksOrder(worksOrderId), ExpectedVersion.NoStream,
            [new MissedBinReported(reportId, worksOrderId, uprn, container, collection, round.Id, caseId, mediaUrl)], customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new SendWorksOrderToContractor(worksOrderId), ct).ConfigureAwait(false);
        await WorksOrderCases.ProgressAsync(session, caseId, worksOrderId, WorksOrderKinds.MissedBin, WorksOrderStatus.Raised, null, ct).ConfigureAwait(false);
        await session.CompleteSubmissionAsync(Answer(reportId, worksOrderId, collection, repeat: false), ct).ConfigureAwait(false);
        return new Outcome(reportId, worksOrderId, WorksOrderStatus.Raised, collection, Repeat: false, await session.CommitAsync(ct).ConfigureAwait(false));
    }

    /// <summary>What a submission key remembers of a report: enough to answer a replay as the first time.</summary>
    private static string Answer(string reportId, string worksOrderId, DateOnly collection, bool repeat) =>
        $"{reportId} {worksOrderId} {CollectionCalendar.Text(collection)} {(repeat ? "repeat" : "first")}";

    private sealed record Claimed(string ReportId, string WorksOrderId);

    /// <summary>Null when this report now owns the key; otherwise the report and order that do. A racing claim waits for the first to commit.</summary>
    private static async Task<Claimed?> ClaimAsync(EventSession session, long uprn, string container, DateOnly collection, string reportId,
        string worksOrderId, CancellationToken ct)
    {
        await using (var insert = session.Db.Command("""
            insert into waste.missed_bin_keys (tenant_id, uprn, container, collection_date, report_id, works_order_id) values ($1, $2, $3, $4, $5, $6)
            on conflict (tenant_id, uprn, container, collection_date) do nothing
            """))
        {
            insert.Parameters.AddWithValue(session.Tenant);
            insert.Parameters.AddWithValue(uprn);
            insert.Parameters.AddWithValue(container);
            insert.Parameters.AddWithValue(collection);
            insert.Parameters.AddWithValue(reportId);
            insert.Parameters.AddWithValue(worksOrderId);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) return null;
        }
        await using var select = session.Db.Command(
            "select report_id, works_order_id from waste.missed_bin_keys where tenant_id = $1 and uprn = $2 and container = $3 and collection_date = $4");
        select.Parameters.AddWithValue(session.Tenant);
        select.Parameters.AddWithValue(uprn);
        select.Parameters.AddWithValue(container);
        select.Parameters.AddWithValue(collection);
        await using var r = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException("The missed-bin key vanished.");
        return new Claimed(r.GetString(0), r.GetString(1));
    }

    private static async Task<string> StatusAsync(EventSession session, string worksOrderId, CancellationToken ct)
    {
        await using var cmd = session.Db.Command("select status from waste.works_orders where tenant_id = $1 and id = $2 for update");
        cmd.Parameters.AddWithValue(session.Tenant);
        cmd.Parameters.AddWithValue(worksOrderId);
        return (string?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? WorksOrderStatus.Raised;
    }
}
