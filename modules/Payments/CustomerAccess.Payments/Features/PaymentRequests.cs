using CustomerAccess.Contracts;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// The payment-request seam (contracts' PaymentRequests.cs): another module sends PaymentRequested through the
/// outbox, Payments records a payment due on "payment-request-{id}" and answers PaymentRequestPaid or
/// PaymentRequestFailed, in the same transaction as the payment's own events. Reads:
/// GET /payments/requests?customerId=&amp;status= and GET /payments/requests/{id}.
/// Lock order (as everywhere): idempotency key, day, request row, payment row, receipt counter.
/// </summary>
internal static class PaymentRequests
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/payments/requests", List).RequireAuthorization(Policies.Read).WithName("ListPaymentRequests");
        api.MapGet("/payments/requests/{id}", One).RequireAuthorization(Policies.Read).WithName("GetPaymentRequest");
    }

    private static async Task<IResult> One(string id, HttpContext http, PlatformDatabase db, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) throw ApiProblemException.NotFound("The payment request");
        var council = http.Council();
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        var request = await PaymentRequestRecord.LoadAsync(tx.Connection, tx.Transaction, council, guid, ct).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound("The payment request");
        return Results.Ok(request.Json(time.GetUtcNow()));
    }

    private static async Task<IResult> List(string? customerId, string? status, int? limit, HttpContext http, PlatformDatabase db, TimeProvider time,
        CancellationToken ct)
    {
        var v = new Validator();
        v.Require(status is null || PaymentRequestStatus.All.Contains(status), "status", "status must be one of " + string.Join(", ", PaymentRequestStatus.All) + ".");
        v.Require(limit is null or (>= 1 and <= 200), "limit", "limit must be between 1 and 200.");
        v.ThrowIfInvalid();
        var council = http.Council();
        var now = time.GetUtcNow();
        await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
        var list = await ListAsync(tx, council, customerId, status, now, limit ?? 50, ct).ConfigureAwait(false);
        return Results.Ok(new { items = list.Select(r => r.Json(now)), next = (string?)null });
    }

    public static Task<List<PaymentRequestView>> ListAsync(TenantTransaction tx, string council, string? customerId, string? status, DateTimeOffset now,
        int take, CancellationToken ct) =>
        PaymentRequestRecord.ListAsync(tx.Connection, tx.Transaction, council, string.IsNullOrWhiteSpace(customerId) ? null : customerId.Trim(),
            status, now, take, ct);

    /// <summary>
    /// The request a payment is being taken against, locked for the rest of the transaction: it must exist
    /// in this council (else 400), be open (else 409) and match the payment's fund and amount (else 400).
    /// </summary>
    public static async Task<PaymentRequestView> RequireOpenAsync(EventSession session, Guid id, string fund, long amountPence, DateTimeOffset now,
        CancellationToken ct)
    {
        var request = await PaymentRequestRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, id, ct, forUpdate: true)
            .ConfigureAwait(false)
            ?? throw ApiProblemException.Validation("paymentRequestId", "There is no such payment request in this council.");
        var status = request.StatusAt(now);
        if (status != PaymentRequestStatus.Open)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Conflict", status switch
            {
                PaymentRequestStatus.Paid => $"This payment request was already paid (receipt {request.ReceiptNumber}).",
                PaymentRequestStatus.Withdrawn => "This payment request was withdrawn: nothing is owed for it any more.",
                _ => "This payment request has expired: it can no longer be paid.",
            }) { Extensions = new Dictionary<string, object?> { ["paymentRequestStatus"] = status } };
        var v = new Validator();
        v.Require(request.Fund == fund, "fund", $"This payment request is for the fund '{request.Fund}'.");
        v.Require(request.AmountPence == amountPence, "amountPence", $"This payment request is for {Money.Format(request.AmountPence)}.");
        v.ThrowIfInvalid();
        return request;
    }

    /// <summary>Locks the request's row (lock order: after the day, before the receipt counter).</summary>
    public static Task<PaymentRequestView?> LockAsync(EventSession session, Guid id, CancellationToken ct) =>
        PaymentRequestRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, id, ct, forUpdate: true);

    /// <summary>
    /// A payment against the request succeeded: the first one settles it, and every one is answered with
    /// PaymentRequestPaid in the same transaction (the seller decides what a second payment means).
    /// </summary>
    public static async Task PaidAsync(EventSession session, PaymentRequestView request, string paymentId, string receiptNumber, long amountPence,
        CancellationToken ct)
    {
        if (request.StoredStatus != PaymentRequestStatus.Paid)
            await session.AppendAsync(PaymentStreams.Request(request.Id), request.Version,
                [new PaymentRequestSettled(request.Id, paymentId, receiptNumber, amountPence)], request.CustomerId, ct).ConfigureAwait(false);
        await session.SendAsync(new PaymentRequestPaid(request.Id, request.Purpose, request.PurposeId, paymentId, receiptNumber, amountPence), ct)
            .ConfigureAwait(false);
    }

    /// <summary>A provider payment against the request failed: the seller hears why; the request stays payable.</summary>
    public static async Task FailedAsync(EventSession session, Guid requestId, string paymentId, string reason, CancellationToken ct)
    {
        var request = await PaymentRequestRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, requestId, ct)
            .ConfigureAwait(false);
        if (request is null) return;
        await session.SendAsync(new PaymentRequestFailed(request.Id, request.Purpose, request.PurposeId, paymentId, reason), ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Records a payment due. A redelivery (the stream exists) does nothing. A request Payments cannot honour
/// (unknown fund, bad amount, unknown customer) is answered PaymentRequestFailed rather than retried for ever.
/// </summary>
internal sealed partial class PaymentRequestedHandler(ILogger<PaymentRequestedHandler> logger) : IMessageHandler<PaymentRequested>
{
    public async Task HandleAsync(PaymentRequested message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var stream = PaymentStreams.Request(message.PaymentRequestId);
        if (await session.StreamVersionAsync(stream, ct).ConfigureAwait(false) > 0) return;
        var fund = await Ledger.FindFundAsync(session, message.Fund ?? "", ct).ConfigureAwait(false);
        string? problem = null;
        if (fund is null) problem = "unknown-fund";
        else if (message.AmountPence is <= 0 or > TakePayment.MaxAmountPence) problem = "invalid-amount";
        else if (string.IsNullOrWhiteSpace(message.Purpose) || string.IsNullOrWhiteSpace(message.PurposeId)
                 || string.IsNullOrWhiteSpace(message.Reference) || string.IsNullOrWhiteSpace(message.Description)) problem = "incomplete-request";
        else if (message.CustomerId is { } c && await session.StreamVersionAsync(CustomerStreams.For(c), ct).ConfigureAwait(false) == 0) problem = "unknown-customer";
        if (problem is not null)
        {
            LogRefused(logger, message.PaymentRequestId, problem);
            await session.SendAsync(new PaymentRequestFailed(message.PaymentRequestId, message.Purpose ?? "", message.PurposeId ?? "", null, problem), ct)
                .ConfigureAwait(false);
            return;
        }
        await session.AppendAsync(stream, ExpectedVersion.NoStream,
            [new PaymentRequestRecorded(message.PaymentRequestId, fund!.Code, fund.Name, message.AmountPence, message.Purpose, message.PurposeId,
                message.Reference, message.Description, message.ExpiresAt)], message.CustomerId, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment request {PaymentRequestId} refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, Guid paymentRequestId, string problem);
}

/// <summary>
/// Withdraws an open request (later payments are 409). Already paid: answers PaymentRequestPaid again so the
/// seller can decide (e.g. send RefundPaymentRequest). A request not recorded yet fails, so the outbox retries.
/// </summary>
internal sealed class PaymentRequestWithdrawnHandler : IMessageHandler<PaymentRequestWithdrawn>
{
    public async Task HandleAsync(PaymentRequestWithdrawn message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var request = await PaymentRequests.LockAsync(session, message.PaymentRequestId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment request {message.PaymentRequestId} is not recorded (yet).");
        switch (request.StoredStatus)
        {
            case PaymentRequestStatus.Open:
                await session.AppendAsync(PaymentStreams.Request(request.Id), request.Version,
                    [new PaymentRequestClosed(request.Id, request.AmountPence, request.Reference, string.IsNullOrWhiteSpace(message.Reason) ? "withdrawn" : message.Reason)],
                    request.CustomerId, ct).ConfigureAwait(false);
                break;
            case PaymentRequestStatus.Paid:
                await session.SendAsync(new PaymentRequestPaid(request.Id, request.Purpose, request.PurposeId, request.PaymentId!, request.ReceiptNumber!,
                    request.AmountPence), ct).ConfigureAwait(false);
                break;
        }
    }
}

/// <summary>
/// The seller could not deliver: refunds what is left of the request's payment, with the seller's reason, on the
/// first open day from today. Nothing paid (or nothing left to refund): nothing to do.
/// </summary>
internal sealed partial class RefundPaymentRequestHandler(TimeProvider time, ILogger<RefundPaymentRequestHandler> logger)
    : IMessageHandler<RefundPaymentRequest>
{
    public async Task HandleAsync(RefundPaymentRequest message, MessageContext context, CancellationToken ct)
    {
        var session = context.Session;
        var day = Ledger.LocalDate(time.GetUtcNow());
        while (await Ledger.LockDayAsync(session, day, exclusive: false, ct).ConfigureAwait(false) is not null) day = day.AddDays(1);
        var request = await PaymentRequests.LockAsync(session, message.PaymentRequestId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment request {message.PaymentRequestId} is not recorded (yet).");
        if (request.StoredStatus != PaymentRequestStatus.Paid || request.PaymentId is null)
        {
            LogNothingToRefund(logger, request.Id, request.StoredStatus);
            return;
        }
        var payment = await PaymentRecord.LoadAsync(session.Db.Connection, session.Db.Transaction, session.Tenant, request.PaymentId, false, ct, forUpdate: true)
            .ConfigureAwait(false) ?? throw new InvalidOperationException("A paid request points at no payment.");
        if (payment.RefundablePence <= 0) return;
        var reason = string.IsNullOrWhiteSpace(message.Reason) ? $"Refund requested by {request.Purpose}" : message.Reason.Trim();
        await IssueRefund.RefundAsync(session, payment, payment.RefundablePence, reason.Length > 500 ? reason[..500] : reason, day, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund of payment request {PaymentRequestId} asked while it is {Status}: nothing to refund")]
    private static partial void LogNothingToRefund(ILogger logger, Guid paymentRequestId, string status);
}
