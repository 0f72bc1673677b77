using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments.Features;

/// <summary>
/// Settles pending card payments nobody asks about (the payer closed the browser, the advisor moved
/// on): every Payments:Provider:PollInterval it asks the provider about each council's pending web and
/// telephone payments, and about refunds the provider holds as "submitted", so a refund's outcome
/// (success, or an error the finance team must act on) is recorded without anyone opening the receipt.
/// Several hosts may sweep at once; the stream's expected version lets one record each outcome. Off when
/// the interval is zero.
/// </summary>
internal sealed partial class SweepPendingPayments(PlatformDatabase db, EventStore store, ProviderOutcome outcome, ProviderRefundStatus refunds,
    PaymentProviderOptions options, ILogger<SweepPendingPayments> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.PollInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e.GetType().FullName); // type only: messages can carry data
            }
        }
    }

    internal async Task SweepOnceAsync(CancellationToken ct)
    {
        // Cross-council listing of ids only, on the platform's RLS-bypassing connection; each payment is
        // then read and settled inside its own council's scope.
        var pending = new List<(string Council, string Id)>();
        await using (var cmd = db.System.CreateCommand("""
            select tenant_id, id from payments.payments
            where status = 'pending' and channel in ('web', 'telephone') order by taken_at limit 200
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) pending.Add((r.GetString(0), r.GetString(1)));

        foreach (var (council, id) in pending)
        {
            var payment = await PaymentRecord.LoadAsync(store, council, id, ct).ConfigureAwait(false);
            await outcome.RefreshAsync(council, EventContext.System("payments-sweeper") with { Channel = payment.Channel }, payment, ct).ConfigureAwait(false);
        }

        // Refunds the provider accepted but has not finished, oldest first.
        var refunded = new List<(string Council, string PaymentId)>();
        await using (var cmd = db.System.CreateCommand("""
            select tenant_id, payment_id from payments.refunds
            where provider_status = 'submitted' and provider_refund_id is not null
            group by tenant_id, payment_id order by min(issued_at) limit 200
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) refunded.Add((r.GetString(0), r.GetString(1)));

        foreach (var (council, id) in refunded)
        {
            var payment = await PaymentRecord.LoadAsync(store, council, id, ct).ConfigureAwait(false);
            await refunds.RefreshAsync(council, EventContext.System("payments-sweeper") with { Channel = payment.Channel }, payment, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping pending card payments failed ({ExceptionType})")]
    private static partial void LogSweepFailed(ILogger logger, string? exceptionType);
}
