using CustomerAccess.Testing;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Host.Tests.Payments;

/// <summary>
/// A small GOV.UK Pay on a real Kestrel socket (127.0.0.1, a free port): POST /v1/payments,
/// GET /v1/payments/{id}, GET /v1/payments?reference=, POST and GET /v1/payments/{id}/refunds. Scripts keyed by amount make it fail, hang or
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
        public List<Refund> Refunds { get; } = [];
    }

    public sealed record Refund(string Id, long Amount, string Status);

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
        /// <summary>Answer this many refunds of payments of this amount with 503 (nothing refunded).</summary>
        public int FailRefunds;
        /// <summary>Refund, then hang this many refunds past the client's timeout (the refund landed, the answer was lost).</summary>
        public int HangRefundsAfterRefunding;
        /// <summary>The refund status the fake answers with (GOV.UK Pay: submitted, success, error).</summary>
        public string RefundStatus = "submitted";
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
        MapRefunds(app);
    }

    /// <summary>The provider finished processing the payment's refunds (GOV.UK Pay: success or error).</summary>
    public void FinishRefunds(string reference, string status)
    {
        var p = WithReference(reference).Single();
        lock (p.Refunds)
            for (var i = 0; i < p.Refunds.Count; i++) p.Refunds[i] = p.Refunds[i] with { Status = status };
    }

    /// <summary>The refunds the fake holds for the payment made with our reference.</summary>
    public IReadOnlyList<Refund> RefundsOf(string reference)
    {
        var p = WithReference(reference).Single();
        lock (p.Refunds) return p.Refunds.ToList();
    }

    private void MapRefunds(WebApplication app)
    {
        app.MapPost("/v1/payments/{id}/refunds", async (string id, HttpContext http) =>
        {
            if (!_payments.TryGetValue(id, out var p)) return Results.NotFound();
            var body = (await http.Request.ReadFromJsonAsync<JsonObject>())!;
            var amount = body["amount"]!.GetValue<long>();
            var available = body["refund_amount_available"]!.GetValue<long>();
            var script = For(p.Amount);
            if (Interlocked.Decrement(ref script.FailRefunds) >= 0) return Results.StatusCode(503);
            Refund refund;
            lock (p.Refunds)
            {
                var left = p.Amount - p.Refunds.Where(r => r.Status != "error").Sum(r => r.Amount);
                if (p.Status != "success") return Results.Json(new JsonObject { ["code"] = "P0603", ["description"] = "The payment is not available for refund." }, statusCode: 400);
                if (available != left) return Results.Json(new JsonObject { ["code"] = "P0604", ["description"] = "Refund amount available mismatch." }, statusCode: 412);
                if (amount > left) return Results.Json(new JsonObject { ["code"] = "P0603", ["description"] = "The payment is not available for refund." }, statusCode: 400);
                refund = new Refund("ref" + Guid.NewGuid().ToString("N")[..20], amount, script.RefundStatus);
                p.Refunds.Add(refund);
            }
            if (Interlocked.Decrement(ref script.HangRefundsAfterRefunding) >= 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            }
            return Results.Json(View(refund), statusCode: 202);
        });
        app.MapGet("/v1/payments/{id}/refunds", (string id) =>
        {
            if (!_payments.TryGetValue(id, out var p)) return Results.NotFound();
            lock (p.Refunds)
                return Results.Json(new JsonObject
                {
                    ["payment_id"] = id,
                    ["_embedded"] = new JsonObject { ["refunds"] = new JsonArray(p.Refunds.Select(r => (JsonNode)View(r)).ToArray()) },
                });
        });
    }

    private static JsonObject View(Refund r) => new()
    {
        ["refund_id"] = r.Id, ["amount"] = r.Amount, ["status"] = r.Status, ["created_date"] = DateTimeOffset.UtcNow.ToString("O"),
    };

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
