using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAccess.Bookings.Features;

/// <summary>
/// Releases places held for payment past their expiry and withdraws their payment requests. Only the
/// host holding the "bookings-holds" lease sweeps (LeaderLease: if it dies, another takes over within
/// seconds); each release locks its booking row and re-checks it, so a payment answer racing the sweep
/// is decided once. Off when Bookings:SweepInterval is zero or the host runs no background work.
/// </summary>
internal sealed partial class HoldSweep(EventStore store, BookingsOptions options, IOptions<MessagingOptions> messaging, TimeProvider time,
    ILogger<HoldSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SweepInterval <= TimeSpan.Zero || !messaging.Value.RunBackgroundWork) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await LeaderLease.TryAcquireAsync(store.Database.SystemConnectionString, "bookings-holds", [], stoppingToken)
                    .ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(messaging.Value.LeaseRetryInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                    await lease.WaitAsync(options.SweepInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(logger, e.GetType().FullName); // type only: messages can carry data
                await Task.Delay(messaging.Value.ErrorBackoff, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Ids only, across councils, on the platform's RLS-bypassing connection; each release then
        // runs in its own council's session.
        var expired = new List<(string Council, string Id)>();
        await using (var cmd = store.Database.System.CreateCommand(
            "select tenant_id, id from bookings.bookings where status = 'held' and expires_at <= $1 order by expires_at limit 200"))
        {
            cmd.Parameters.AddWithValue(now);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) expired.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var (council, id) in expired)
        {
            await using var session = await store.OpenSessionAsync(council, EventContext.System("bookings-hold-sweep"), ct).ConfigureAwait(false);
            var booking = await BookingStore.BookingAsync(session.Db, id, forUpdate: true, ct).ConfigureAwait(false);
            if (booking is null || booking.ExpiresAt is not { } expires || expires > now) continue;
            await BookingLifecycle.ReleaseAsync(session, booking, Domain.ReleaseReasons.Expired, now, ct).ConfigureAwait(false);
            await session.CommitAsync(ct).ConfigureAwait(false);
        }
        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Releasing expired booking holds failed ({ExceptionType})")]
    private static partial void LogSweepFailed(ILogger logger, string? exceptionType);
}
