using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace CustomerAccess.Benchmarks;

/// <summary>
/// Waits, while the load runs, until the JIT has stopped compiling: at least BENCH_WARMUP seconds
/// (default 3), then until fewer than <see cref="QuietMethods"/> methods were compiled in the last
/// two seconds, or BENCH_WARMUP_MAX seconds (default 60) have passed. Tier-1 recompilation of the
/// hot paths happens on a background thread that competes with the load for the same cores.
/// </summary>
internal static class WarmUp
{
    private const int QuietMethods = 10;

    public static async Task UntilJitQuietAsync(string label, Func<long> done)
    {
        var minimum = Seconds("BENCH_WARMUP", 3);
        var maximum = Seconds("BENCH_WARMUP_MAX", 60);
        var clock = Stopwatch.StartNew();
        var history = new Queue<long>();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var compiled = JitInfo.GetCompiledMethodCount();
            history.Enqueue(compiled);
            if (history.Count > 3) history.Dequeue();
            var recent = history.Count == 3 ? compiled - history.Peek() : long.MaxValue;
            var elapsed = clock.Elapsed;
            if (elapsed.TotalSeconds >= 2 && (int)elapsed.TotalSeconds % 2 == 0)
                Console.WriteLine($"  {label}: warming up {elapsed.TotalSeconds,4:0}s, {done(),8} done, {compiled} methods compiled ({(recent == long.MaxValue ? "-" : recent.ToString(CultureInfo.InvariantCulture))} in the last 2 s)");
            if (elapsed >= minimum && recent < QuietMethods)
            {
                Console.WriteLine($"  {label}: JIT quiet after {elapsed.TotalSeconds:0}s of warm-up");
                return;
            }
            if (elapsed >= maximum)
            {
                Console.WriteLine($"  {label}: JIT still compiling after {elapsed.TotalSeconds:0}s; measuring anyway");
                return;
            }
        }
    }

    private static TimeSpan Seconds(string variable, double fallback) =>
        TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable(variable) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
}
