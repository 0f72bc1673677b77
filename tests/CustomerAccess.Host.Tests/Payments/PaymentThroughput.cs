using System.Diagnostics;
using System.Net;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// A measurement, not a check (Explicit: run by name). Receipt numbers serialise one council's
/// payments on its counter row, so this shows what that costs: N cash payments by 16 concurrent
/// writers into one council, then spread over the four councils.
/// </summary>
[Explicit("measurement")]
public class PaymentThroughput
{
    [TestCase(400, 1)]
    [TestCase(400, 4)]
    public async Task Cash_payments_per_second(int total, int councils)
    {
        await using var host = await HostFixture.StartAsync(testAuth: true);
        var names = Contracts.SeedCouncils.All.Take(councils).ToArray();
        using var advisor = ApiClient.As(host, "advisor", "advisor", names);
        // Warm up (JIT, pools).
        foreach (var c in names)
            await ApiClient.Expect(await advisor.PostAsync($"/api/councils/{c}/payments", new { fund = "general", amountPence = 1, channel = "cash", idempotencyKey = Keys.New() }), HttpStatusCode.Created);

        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await advisor.PostAsync($"/api/councils/{names[i % names.Length]}/payments",
                    new { fund = "general", amountPence = 100 + i, channel = "cash", idempotencyKey = Keys.New() });
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var sorted = latencies.Order().ToList();
        TestContext.Out.WriteLine(
            $"{total} cash payments, 16 writers, {councils} council(s): {total / clock.Elapsed.TotalSeconds:0} payments/s, " +
            $"p50 {sorted[sorted.Count / 2]:0.0} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:0.0} ms, max {sorted[^1]:0.0} ms");
    }
}
