using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// GET /payments/{id} (with refunds; a pending card payment, and refunds the provider has only submitted, are
/// first brought up to date from the provider), GET /payments?customerId=&amp;date= (newest first, cursor-paged) and GET /payments/funds.
/// </summary>
internal static class GetPayments
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/payments/funds", Funds).RequireAuthorization(Policies.Read).WithName("PaymentFunds");
        api.MapGet("/payments/{id}", One).RequireAuthorization(Policies.Read).WithName("GetPayment");
        api.MapGet("/payments", List).RequireAuthorization(Policies.Read).WithName("ListPayments");
    }

    private static async Task<IResult> One(string id, HttpContext http, EventStore store, ProviderOutcome outcome, ProviderRefundStatus refunds,
        CancellationToken ct)
    {
        var council = http.Council();
        PaymentView? payment;
        await using (var tx = await store.Database.BeginAsync(council, ct).ConfigureAwait(false))
            payment = await PaymentRecord.LoadAsync(tx.Connection, tx.Transaction, council, id, true, ct).ConfigureAwait(false);
        if (payment is null) throw ApiProblemException.NotFound("The payment");
        if (payment.Status == PaymentStatus.Pending && Channels.ViaProvider(payment.Channel))
        {
            var written = await outcome.RefreshAsync(council, http.EventContext(payment.Channel), payment, ct).ConfigureAwait(false);
            EventPositionHeader.Set(http, written);
            payment = await PaymentRecord.LoadAsync(store, council, id, ct).ConfigureAwait(false);
        }
        if (await refunds.RefreshAsync(council, http.EventContext(payment.Channel), payment, ct).ConfigureAwait(false) is { } refreshed)
        {
            EventPositionHeader.Set(http, refreshed);
            payment = await PaymentRecord.LoadAsync(store, council, id, ct).ConfigureAwait(false);
        }
        return Results.Ok(payment);
    }

    private static async Task<IResult> List(string? customerId, string? date, int? limit, string? cursor, HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        var v = new Validator();
        DateOnly? day = null;
        if (!string.IsNullOrEmpty(date))
        {
            if (CashUp.TryDate(date, out var d)) day = d;
            else v.Add("date", "date must be a date like 2026-11-22.");
        }
        v.Require(limit is null or (>= 1 and <= 200), "limit", "limit must be between 1 and 200.");
        v.ThrowIfInvalid();
        var take = limit ?? 50;
        await using var tx = await db.BeginAsync(http.Council(), ct).ConfigureAwait(false);
        var page = await PaymentRecord.ListAsync(tx.Connection, tx.Transaction, http.Council(), string.IsNullOrWhiteSpace(customerId) ? null : customerId,
            day, string.IsNullOrEmpty(cursor) ? null : cursor, take + 1, ct).ConfigureAwait(false);
        string? next = null;
        if (page.Count > take)
        {
            page.RemoveAt(page.Count - 1);
            next = page[^1].Id;
        }
        return Results.Ok(new { items = page, next });
    }

    private static async Task<IResult> Funds(HttpContext http, PlatformDatabase db, CancellationToken ct)
    {
        var council = http.Council();
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        await Ledger.EnsureFundsAsync(tx.Connection, tx.Transaction, council, ct).ConfigureAwait(false);
        var funds = await Ledger.FundsAsync(tx.Connection, tx.Transaction, council, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return Results.Ok(new { items = funds.Select(f => new { code = f.Code, name = f.Name, onBehalfOf = f.OnBehalfOf }), next = (string?)null });
    }
}
