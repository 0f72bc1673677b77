using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Waste.Features;

/// <summary>
/// GET /waste/works-orders?status=&amp;cursor= (newest first, 50 a page; status is one status, or open / closed for the live or finished ones), GET /waste/works-orders/{id},
/// and POST /waste/works-orders/{id}/status {status}: the contractor's (or the waste team's) update.
/// Allowed moves: raised → sent | cancelled; sent → accepted | completed | could-not-complete |
/// cancelled; accepted → completed | could-not-complete | cancelled. Anything else is a 409. Each
/// change is an event carrying the order's customer, so it lands on the customer's timeline.
/// </summary>
internal static class WorksOrders
{
    private const int PageSize = 50;

    internal sealed record StatusRequest(string? Status);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/waste/works-orders", List).RequireAuthorization(Policies.ServiceTeam).WithName("ListWorksOrders");
        api.MapGet("/waste/works-orders/{id}", One).RequireAuthorization(Policies.ServiceTeam).WithName("GetWorksOrder");
        api.MapPost("/waste/works-orders/{id}/status", SetStatus).RequireAuthorization(Policies.ServiceTeam).WithName("SetWorksOrderStatus");
    }

    private const string OpenFilter = "open";
    private const string ClosedFilter = "closed";

    private static async Task<IResult> List(string? status, string? cursor, HttpContext http, EventStore store, CancellationToken ct)
    {
        var (items, next) = await ListAsync(store, http.Council(), status, cursor, ct).ConfigureAwait(false);
        return Results.Ok(new { items, next });
    }

    /// <summary>A page of the council's works orders, newest first, optionally of one status. The endpoint and the waste team's screen call this.</summary>
    public static async Task<(IReadOnlyList<WorksOrderView> Items, string? Next)> ListAsync(EventStore store, string council, string? status, string? cursor,
        CancellationToken ct)
    {
        // open (raised, sent or accepted) and closed (completed, cancelled, could-not-complete) group the statuses.
        string[]? statuses = status switch
        {
            null => null,
            OpenFilter => [WorksOrderStatus.Raised, WorksOrderStatus.Sent, WorksOrderStatus.Accepted],
            ClosedFilter => [WorksOrderStatus.Completed, WorksOrderStatus.Cancelled, WorksOrderStatus.CouldNotComplete],
            _ when WorksOrderStatus.All.Contains(status) => [status],
            _ => throw ApiProblemException.Validation("status",
                "Status must be open, closed or one of " + string.Join(", ", WorksOrderStatus.All) + "."),
        };
        if (cursor is not null && (cursor.Length > 64 || string.IsNullOrWhiteSpace(cursor)))
            throw ApiProblemException.Validation("cursor", "This is not a cursor from an earlier page.");
        var items = new List<WorksOrderView>();
        await using (var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false))
        {
            await using var cmd = tx.Command($"""
                select {WorksOrderView.Columns} from waste.works_orders
                where tenant_id = $1 and ($2::text[] is null or status = any($2)) and ($3::text is null or id < $3)
                order by id desc limit {PageSize + 1}
                """);
            cmd.Parameters.AddWithValue(council);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)statuses ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) items.Add(WorksOrderView.Read(r));
        }
        var next = items.Count > PageSize ? items[PageSize - 1].Id : null;
        return (items.Take(PageSize).ToList(), next);
    }

    private static async Task<IResult> One(string id, HttpContext http, EventStore store, CancellationToken ct)
    {
        var council = http.Council();
        await using var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false);
        return Results.Ok(await WorksOrderView.LoadAsync(tx.Connection, tx.Transaction, council, id, false, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The works order"));
    }

    private static async Task<IResult> SetStatus(string id, StatusRequest? body, HttpContext http, EventStore store, CancellationToken ct)
    {
        await using var session = await store.OpenSessionAsync(http.Council(), http.EventContext(), ct).ConfigureAwait(false);
        var order = await MoveAsync(session, id, body?.Status, ct).ConfigureAwait(false);
        EventPositionHeader.Set(http, await session.CommitAsync(ct).ConfigureAwait(false));
        return Results.Ok(new { id, status = body!.Status!.Trim(), previous = order.Status, contractorReference = order.ContractorReference });
    }

    /// <summary>Moves the order on (the caller commits); answers the order as it was. The endpoint and the waste team's screen call this.</summary>
    public static async Task<WorksOrderView> MoveAsync(EventSession session, string id, string? status, CancellationToken ct)
    {
        var council = session.Tenant;
        var to = status?.Trim();
        if (to is null || !WorksOrderStatus.All.Contains(to))
            throw ApiProblemException.Validation("status", "Status must be one of " + string.Join(", ", WorksOrderStatus.All) + ".");
        if (to == WorksOrderStatus.Sent)
            throw ApiProblemException.Validation("status", "A works order becomes sent when the contractor accepts it through the integration.");
        var order = await WorksOrderView.LoadAsync(session.Db.Connection, session.Db.Transaction, council, id, true, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The works order");
        if (!WorksOrderStatus.CanMove(order.Status, to))
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict",
                $"A works order that is {order.Status} cannot become {to}." +
                (WorksOrderStatus.From(order.Status).Count == 0 ? "" : " It can become " + string.Join(", ", WorksOrderStatus.From(order.Status).Where(s => s != WorksOrderStatus.Sent)) + "."))
            {
                Extensions = { ["currentStatus"] = order.Status },
            };
        await session.AppendAsync(WasteStreams.WorksOrder(id), order.Version,
            [new WorksOrderStatusChanged(id, order.Container, order.Status, to, order.Kind)], order.CustomerId, ct).ConfigureAwait(false);
        await WorksOrderCases.ProgressAsync(session, order.CaseId, id, order.Kind, to, order.ContractorReference, ct).ConfigureAwait(false);
        // The contractor holds the order: tell it the job is off (through the outbox, retried).
        if (to == WorksOrderStatus.Cancelled && order.ContractorReference is { } reference)
            await session.SendAsync(new CancelWorksOrderAtContractor(id, reference), ct).ConfigureAwait(false);
        return order;
    }
}
