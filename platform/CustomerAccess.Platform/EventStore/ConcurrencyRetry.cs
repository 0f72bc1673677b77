using Polly;
using Polly.Retry;

namespace CustomerAccess.Platform.EventStore;

/// <summary>
/// Runs a command again when it lost an optimistic-concurrency race (<see cref="ConcurrencyException"/>),
/// for routes that are not sent through the mediator (whose <c>ConcurrencyRetryBehavior</c> does the
/// same for its requests). Each attempt must open its own session and re-read its stream, so it
/// decides on what the winner wrote: a refusal it then reaches (a 409 for a case already resolved)
/// is not retried. More attempts than the mediator's three, with short capped delays, so that a
/// burst of independent writes to one stream (ten notes on one case at once) all land.
/// </summary>
public static class ConcurrencyRetry
{
    public const int MaxAttempts = 10;

    private static readonly ResiliencePipeline Pipeline = Build(MaxAttempts - 1, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// A pipeline that retries a lost race with jittered exponential backoff (racers that collided must
    /// not all come back at the same instant). Also the mediator's <c>ConcurrencyRetryBehavior</c>.
    /// </summary>
    public static ResiliencePipeline Build(int maxRetries, TimeSpan delay, TimeSpan? maxDelay = null)
    {
        var options = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ConcurrencyException>(),
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = delay,
        };
        if (maxDelay is { } max) options.MaxDelay = max;
        return new ResiliencePipelineBuilder().AddRetry(options).Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails otherwise, or loses the race <see cref="MaxAttempts"/> times (the last one throws: a 409).</summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return await Pipeline.ExecuteAsync(async token => await attempt(token).ConfigureAwait(false), ct).ConfigureAwait(false);
    }
}
