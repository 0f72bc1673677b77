using CustomerAccess.Contracts;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// POST /waste/bin-requests {customerId, uprn, container, reason: new|replacement, caseId?} → 201 {id,
/// worksOrderId}: a works order for the contractor to deliver a bin, for a container the property has
/// a round for. One open request per property and container (decided under a transaction-scoped
/// advisory lock on that pair): asking again while one is open answers 200 with it.
/// </summary>
internal static class RequestBin
{
    internal sealed record Request(string? CustomerId, long? Uprn, string? Container, string? Reason, string? CaseId = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/waste/bin-requests", Handle).RequireAuthorization(Policies.Casework).WithName("RequestBin");

    private static async Task<IResult> Handle(Request? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        if (body is null) throw ApiProblemException.Validation("body", "A JSON body with customerId, uprn, container and reason is required.");
        var council = http.Council();
        var customerId = body.CustomerId?.Trim();
        var container = body.Container?.Trim().ToLowerInvariant();
        var reason = body.Reason?.Trim().ToLowerInvariant();
        var v = new Validator();
        v.Require(!string.IsNullOrEmpty(customerId) && customerId.Length <= 64, "customerId", "Say which customer is asking for the bin.");
        v.Require(body.Uprn is > 0 and <= Rounds.MaxUprn, "uprn", "A UPRN is a whole number of 1 to 12 digits.");
        v.Require(container is not null && Containers.All.Contains(container), "container", "Container must be one of " + string.Join(", ", Containers.All) + ".");
        v.Require(reason is not null && BinRequestReasons.All.Contains(reason), "reason", "Reason must be one of " + string.Join(", ", BinRequestReasons.All) + ".");
        var caseId = WorksOrderCases.Clean(body.CaseId, v);
        v.ThrowIfInvalid();
        var uprn = body.Uprn!.Value;

        await using var session = await store.OpenSessionAsync(council, http.EventContext(), ct).ConfigureAwait(false);
        if (await session.StreamVersionAsync(CustomerStreams.For(customerId!), ct).ConfigureAwait(false) == 0)
            throw ApiProblemException.Validation("customerId", "There is no such customer in this council.");
        await WorksOrderCases.RequireAsync(session, caseId, ct).ConfigureAwait(false);
        var rounds = await Rounds.ForUprnAsync(session.Db.Connection, session.Db.Transaction, council, uprn, ct).ConfigureAwait(false);
        if (rounds.All(r => r.Container != container))
            throw ApiProblemException.Validation("container", $"This property has no {container} collection round in this council.");

        await using (var lockCmd = session.Db.Command("select pg_advisory_xact_lock(hashtextextended($1, 0))"))
        {
            lockCmd.Parameters.AddWithValue($"waste-bin-request/{council}/{uprn}/{container}");
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var open = session.Db.Command("""
            select id, report_id, status from waste.works_orders
            where tenant_id = $1 and uprn = $2 and container = $3 and kind = 'bin-request' and status in ('raised', 'sent', 'accepted')
            order by id limit 1
            """))
        {
            open.Parameters.AddWithValue(council);
            open.Parameters.AddWithValue(uprn);
            open.Parameters.AddWithValue(container!);
            await using var r = await open.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false))
                return Results.Ok(new { id = r.GetString(1), worksOrderId = r.GetString(0), status = r.GetString(2), repeat = true });
        }

        var requestId = Guid.CreateVersion7().ToString();
        var worksOrderId = Guid.CreateVersion7().ToString();
        await session.AppendAsync(WasteStreams.WorksOrder(worksOrderId), ExpectedVersion.NoStream,
            [new BinRequested(requestId, worksOrderId, uprn, container!, reason!, caseId)], customerId, ct).ConfigureAwait(false);
        await session.SendAsync(new SendWorksOrderToContractor(worksOrderId), ct).ConfigureAwait(false);
        await WorksOrderCases.ProgressAsync(session, caseId, worksOrderId, WorksOrderKinds.BinRequest, WorksOrderStatus.Raised, null, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Created($"/api/councils/{council}/waste/works-orders/{worksOrderId}",
            new { id = requestId, worksOrderId, status = WorksOrderStatus.Raised, repeat = false });
    }
}
