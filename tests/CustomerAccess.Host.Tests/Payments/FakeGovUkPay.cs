using CustomerAccess.Testing;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// A small GOV.UK Pay on a real Kestrel socket (127.0.0.1, a free port): POST /v1/payments,
/// GET /v1/payments/{id}, GET /v1/payments?reference=. Scripts keyed by amount make it fail, hang or
/// create-then-hang, so each test drives one failure path through the real HTTP stack.
/// </summary>
public sealed class FakeGovUkPay : IAsyncDisposable
{
    public const string ApiKey = "fake-govuk-pay-key-8c1d";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Payment> _payments = new();
    private readonly ConcurrentDictionary<long, Script> _scripts = new();

    public sealed class Payment(string id, long amount, string reference)
    {
        public string Id { get; } = id;
        public long Amount { get; } = amount;
        public string Reference { get; } = reference;
        public string Status { get; set; } = "created";
    }

    /// <summary>What the fake does for payments of one amount.</summary>
    public sealed class Script
    {
        /// <summary>Answer this many creates with 503 (nothing created).</summary>
        public int FailCreates;
        /// <summary>Hang this many creates past the client's timeout.</summary>
        public int HangCreates;
        /// <summary>Whether a hung create still creates the payment (the unknown outcome).</summary>
        public bool CreateBeforeHanging;
        /// <summary>Answer searches by reference with 500 while true.</summary>
        public volatile bool FailSearches;
    }

    private FakeGovUkPay(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<string> Calls { get; } = new();
    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    public static async Task<FakeGovUkPay> StartAsync()
    {
        var app = LoopbackServer.Create();
        var fake = new FakeGovUkPay(app);
        fake.Map(app);
        await app.StartAsync();
        fake.BaseUrl = LoopbackServer.Address(app);
        return fake;
    }

    public Script For(long amount) => _scripts.GetOrAdd(amount, _ => new Script());

    public IReadOnlyList<Payment> WithReference(string reference) => _payments.Values.Where(p => p.Reference == reference).ToList();

    /// <summary>The payer finished on the provider's pages (success, failed, cancelled, error).</summary>
    public void Finish(string reference, string status)
    {
        foreach (var p in WithReference(reference)) p.Status = status;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
            if (context.Request.Headers.Authorization != "Bearer " + ApiKey)
            {
                context.Response.StatusCode = 401;
                return;
            }
            Calls.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        app.MapPost("/v1/payments", async (HttpContext http) =>
        {
            var body = (await http.Request.ReadFromJsonAsync<JsonObject>())!;
            var amount = body["amount"]!.GetValue<long>();
            var reference = body["reference"]!.GetValue<string>();
            var script = For(amount);
            if (Interlocked.Decrement(ref script.FailCreates) >= 0) return Results.StatusCode(503);
            if (Interlocked.Decrement(ref script.HangCreates) >= 0)
            {
                if (script.CreateBeforeHanging) Create(amount, reference);
                await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            }
            return Results.Json(View(Create(amount, reference)), statusCode: 201);
        });
        app.MapGet("/v1/payments/{id}", (string id) => _payments.TryGetValue(id, out var p) ? Results.Json(View(p)) : Results.NotFound());
        app.MapGet("/v1/payments", (string? reference) =>
        {
            var matches = _payments.Values.Where(p => p.Reference == reference).ToList();
            if (_scripts.Values.Any(s => s.FailSearches)) return Results.StatusCode(500);
            return Results.Json(new JsonObject { ["total"] = matches.Count, ["results"] = new JsonArray(matches.Select(p => (JsonNode)View(p)).ToArray()) });
        });
    }

    private Payment Create(long amount, string reference)
    {
        var p = new Payment("pay" + Guid.NewGuid().ToString("N")[..20], amount, reference);
        _payments[p.Id] = p;
        return p;
    }

    private JsonObject View(Payment p) => new()
    {
        ["payment_id"] = p.Id,
        ["amount"] = p.Amount,
        ["reference"] = p.Reference,
        ["state"] = new JsonObject { ["status"] = p.Status, ["finished"] = p.Status is "success" or "failed" or "cancelled" or "error" },
        ["_links"] = new JsonObject { ["next_url"] = new JsonObject { ["href"] = $"{BaseUrl}/secure/{p.Id}", ["method"] = "GET" } },
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
