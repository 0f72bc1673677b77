using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerAccess.Platform.Submissions;

/// <summary>
/// Forgets submission keys past <see cref="SubmissionKeys.Retention"/> (plus a day, so a form refused as
/// too old is always older than any key forgotten). Only the holder of the "submission-keys" lease
/// sweeps, hourly, in batches, on the RLS-bypassing system connection (keys of every council).
/// Off when the host runs no background work.
/// </summary>
internal sealed partial class SubmissionKeySweep(PlatformDatabase database, IOptions<MessagingOptions> messaging, TimeProvider time,
    ILogger<SubmissionKeySweep> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!messaging.Value.RunBackgroundWork) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await LeaderLease.TryAcquireAsync(database.SystemConnectionString, "submission-keys", [], stoppingToken)
                    .ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(messaging.Value.LeaseRetryInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await SweepOnceAsync(database, time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    await lease.WaitAsync(Interval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(logger, e.GetType().FullName); // type only
                await Task.Delay(messaging.Value.ErrorBackoff, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the keys older than the retention, 5,000 at a time; returns how many went.</summary>
    internal static async Task<long> SweepOnceAsync(PlatformDatabase database, DateTimeOffset now, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            await using var cmd = database.System.CreateCommand("""
                delete from platform.submission_keys where (tenant_id, key) in
                  (select tenant_id, key from platform.submission_keys where created_at < $1 limit 5000)
                """);
            cmd.Parameters.AddWithValue(now - SubmissionKeys.Retention - TimeSpan.FromDays(1));
            var n = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            total += n;
            if (n < 5000) return total;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping old submission keys failed ({ExceptionType})")]
    private static partial void LogSweepFailed(ILogger logger, string? exceptionType);
}
