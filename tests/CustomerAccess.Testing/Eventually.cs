using System.Diagnostics;

namespace CustomerAccess.Testing;

/// <summary>A polling probe for asynchronous outcomes: never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Condition not met within {limit.TotalSeconds:0.#}s{(because is null ? "" : ": " + because)}. Last value: {value}");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task Until(Func<Task<bool>> probe, TimeSpan? timeout = null, string? because = null) =>
        Until(probe, b => b, timeout, because);
}
