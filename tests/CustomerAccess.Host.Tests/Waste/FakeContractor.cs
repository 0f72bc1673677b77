using CustomerAccess.Testing;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Waste;

/// <summary>
/// A contractor's REST API on a real Kestrel socket (127.0.0.1, a free port): POST /works-orders
/// answers {reference}; POST /works-orders/{reference}/cancellation calls one off. <see cref="FailNext"/> makes the next calls answer 503. The same
/// Idempotency-Key always gets the same reference, like a careful contractor.
/// </summary>
public sealed class FakeContractor : IAsyncDisposable
{
    public const string ApiKey = "fake-contractor-key-41ab";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _references = new();
    private int _failNext;
    private int _counter;

    private FakeContractor(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<(string Key, int Status, JsonObject Body)> Calls { get; } = new();
    public ConcurrentQueue<(string Key, string Reference, int Status)> Cancellations { get; } = new();

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public static async Task<FakeContractor> StartAsync()
    {
        var app = LoopbackServer.Create();
        var fake = new FakeContractor(app);
        app.MapPost("/api/works-orders", async (HttpContext http) =>
        {
            var body = (await http.Request.ReadFromJsonAsync<JsonObject>())!;
            var key = http.Request.Headers["Idempotency-Key"].ToString();
            if (http.Request.Headers.Authorization != "Bearer " + ApiKey)
            {
                fake.Calls.Enqueue((key, 401, body));
                return Results.StatusCode(401);
            }
            if (Interlocked.Decrement(ref fake._failNext) >= 0)
            {
                fake.Calls.Enqueue((key, 503, body));
                return Results.StatusCode(503);
            }
            fake.Calls.Enqueue((key, 201, body));
            var reference = fake._references.GetOrAdd(key, _ => "CTR-" + Interlocked.Increment(ref fake._counter).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
            return Results.Json(new JsonObject { ["reference"] = reference }, statusCode: 201);
        });
        // A cancellation of an order it holds (by its reference); an unknown reference is a 404.
        app.MapPost("/api/works-orders/{reference}/cancellation", async (string reference, HttpContext http) =>
        {
            var body = (await http.Request.ReadFromJsonAsync<JsonObject>())!;
            var key = http.Request.Headers["Idempotency-Key"].ToString();
            if (http.Request.Headers.Authorization != "Bearer " + ApiKey) return Results.StatusCode(401);
            if (Interlocked.Decrement(ref fake._failNext) >= 0)
            {
                fake.Cancellations.Enqueue((key, reference, 503));
                return Results.StatusCode(503);
            }
            var known = fake._references.Values.Contains(reference);
            fake.Cancellations.Enqueue((key, reference, known ? 200 : 404));
            return known ? Results.Json(new JsonObject { ["reference"] = reference, ["status"] = "cancelled", ["clientReference"] = body["clientReference"]?.GetValue<string>() })
                : Results.NotFound();
        });
        await app.StartAsync();
        fake.BaseUrl = LoopbackServer.Address(app) + "/api";
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
