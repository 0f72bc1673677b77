using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// Settles a pending card payment from what the provider says: links it to the provider's payment
/// (found by our reference when a create's outcome was unknown), then records success (with its
/// receipt number) or failure. Several hosts or requests may settle the same payment at once: the
/// stream's expected version lets one win, the others just read the result.
/// </summary>
internal sealed partial class ProviderOutcome(EventStore store, IPaymentProvider provider, PaymentProviderOptions options, TimeProvider time,
    ICouncilDirectory councils, ILogger<ProviderOutcome> logger)
{
    /// <summary>Asks the provider to create the payment and records the link; an unknown outcome leaves it pending.</summary>
    public async Task<long?> StartAsync(string council, EventContext context, PaymentView payment, string fundName, CancellationToken ct)
    {
        ProviderPayment created;
        try
        {
            created = await provider.CreateAsync(new ProviderCreateRequest(payment.AmountPence, payment.Id, $"{fundName} payment",
                options.ReturnUrl.Replace("{council}", council, StringComparison.Ordinal).Replace("{id}", payment.Id, StringComparison.Ordinal)), ct).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException)
        {
            return null; // settled later by looking the payment up by our reference
        }
        catch (ProviderRejectedException rejected)
        {
            return await FailAsync(council, context, payment, $"rejected-{rejected.Status}", ct).ConfigureAwait(false);
        }
        return await LinkAsync(council, context, payment, created, ct).ConfigureAwait(false);
    }

    /// <summary>Brings a pending payment up to date with the provider; returns the last position written, if any.</summary>
    public async Task<long?> RefreshAsync(string council, EventContext context, PaymentView payment, CancellationToken ct)
    {
        if (payment.Status != PaymentStatus.Pending || !Channels.ViaProvider(payment.Channel)) return null;
        try
        {
            long? position = null;
            ProviderPayment? state;
            if (payment.ProviderPaymentId is null)
            {
                state = await provider.FindByReferenceAsync(payment.Id, ct).ConfigureAwait(false);
                if (state is null)
                {
                    // The provider definitely holds nothing for our reference: no money was taken. Wait out
                    // the grace period first in case a create the provider is still processing lands late.
                    if (time.GetUtcNow() - payment.TakenAt < options.UnknownOutcomeGrace) return null;
                    return await FailAsync(council, context, payment, "not-created", ct).ConfigureAwait(false);
                }
                position = await LinkAsync(council, context, payment, state, ct).ConfigureAwait(false);
                payment = payment with { ProviderPaymentId = state.ProviderPaymentId, Version = payment.Version + 1 };
            }
            else
            {
                state = await provider.GetAsync(payment.ProviderPaymentId, ct).ConfigureAwait(false);
            }
            if (state.Succeeded) return await SucceedAsync(council, context, payment, state, ct).ConfigureAwait(false) ?? position;
            if (state.Failed)
                return await FailAsync(council, context, payment, state.Status, ct).ConfigureAwait(false) ?? position;
            return position;
        }
        catch (ProviderUnavailableException)
        {
            LogStillPending(logger, payment.Id);
            return null;
        }
    }

    private Task<long?> LinkAsync(string council, EventContext context, PaymentView payment, ProviderPayment created, CancellationToken ct) =>
        RecordAsync(council, context, payment, s => s.AppendAsync(PaymentStreams.Payment(payment.Id), payment.Version,
            [new ProviderPaymentCreated(payment.Id, created.ProviderPaymentId, created.NextUrl)], payment.CustomerId, ct), ct);

    private Task<long?> SucceedAsync(string council, EventContext context, PaymentView payment, ProviderPayment state, CancellationToken ct) =>
        RecordAsync(council, context, payment, async s =>
        {
            // Dated the council-local day the provider confirmed it. A day already closed cannot change,
            // so a confirmation that arrives after its day closed counts towards the next open day.
            var day = Ledger.LocalDate(time.GetUtcNow());
            while (await Ledger.LockDayAsync(s, day, exclusive: false, ct).ConfigureAwait(false) is not null) day = day.AddDays(1);
            var request = payment.PaymentRequestId is { } rid ? await PaymentRequests.LockAsync(s, rid, ct).ConfigureAwait(false) : null;
            var fundName = await FundNameAsync(s, payment.Fund, ct).ConfigureAwait(false);
            var receipt = await Ledger.NextReceiptAsync(s, (await councils.RequireAsync(council, ct).ConfigureAwait(false)).ReceiptPrefix, ct).ConfigureAwait(false);
            var written = await s.AppendAsync(PaymentStreams.Payment(payment.Id), payment.Version,
                [new PaymentSucceeded(payment.Id, payment.Fund, fundName, payment.AmountPence, payment.Channel, receipt, day, state.Status)],
                payment.CustomerId, ct).ConfigureAwait(false);
            if (request is { StoredStatus: PaymentRequestStatus.Paid, PaymentId: { } first } && first != payment.Id)
            {
                // Two card payments started for one request (two tabs, a payer and an advisor) and both went
                // through: this one is a second payment for the same thing. It is refunded in full at once,
                // and the seller, already answered Paid, hears nothing new.
                var succeeded = payment with { Status = PaymentStatus.Succeeded, ReceiptNumber = receipt, Version = payment.Version + 1 };
                await IssueRefund.RefundAsync(s, succeeded, payment.AmountPence,
                    $"Paid twice: the payment due was already paid (receipt {request.ReceiptNumber}); this second payment is refunded in full",
                    day, ct).ConfigureAwait(false);
                LogDuplicateRefunded(logger, payment.Id, request.Id);
                return written;
            }
            // Paid even if the request was withdrawn or expired meanwhile: the money was taken, the seller decides.
            if (request is not null) await PaymentRequests.PaidAsync(s, request, payment.Id, receipt, payment.AmountPence, ct).ConfigureAwait(false);
            return written;
        }, ct);

    /// <summary>No money was taken: records the failure and, for a payment against a request, tells the seller in the same transaction.</summary>
    private Task<long?> FailAsync(string council, EventContext context, PaymentView payment, string reason, CancellationToken ct) =>
        RecordAsync(council, context, payment, async s =>
        {
            var written = await s.AppendAsync(PaymentStreams.Payment(payment.Id), payment.Version,
                [new PaymentFailed(payment.Id, await FundNameAsync(s, payment.Fund, ct).ConfigureAwait(false), payment.AmountPence, payment.Channel, reason)],
                payment.CustomerId, ct).ConfigureAwait(false);
            if (payment.PaymentRequestId is { } rid) await PaymentRequests.FailedAsync(s, rid, payment.Id, reason, ct).ConfigureAwait(false);
            return written;
        }, ct);

    private async Task<long?> RecordAsync(string council, EventContext context, PaymentView payment,
        Func<EventSession, Task<IReadOnlyList<StoredEvent>>> write, CancellationToken ct)
    {
        try
        {
            await using var session = await store.OpenSessionAsync(council, context with { Channel = payment.Channel }, ct).ConfigureAwait(false);
            await write(session).ConfigureAwait(false);
            return await session.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (ConcurrencyException)
        {
            return null; // someone else settled it first; the caller reads the result
        }
    }

    private static async Task<string> FundNameAsync(EventSession session, string code, CancellationToken ct) =>
        (await Ledger.FindFundAsync(session, code, ct).ConfigureAwait(false))?.Name ?? code;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} paid a payment request ({PaymentRequestId}) already paid by another payment: refunded in full")]
    private static partial void LogDuplicateRefunded(ILogger logger, string paymentId, Guid paymentRequestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} stays pending: the provider could not be asked")]
    private static partial void LogStillPending(ILogger logger, string paymentId);
}
