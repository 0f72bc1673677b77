using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CustomerAccess.Payments.Provider;

/// <summary>A card payment as the provider sees it (GOV.UK Pay's payment resource, trimmed).</summary>
internal sealed record ProviderPayment(string ProviderPaymentId, string Status, bool Finished, string? NextUrl)
{
    public bool Succeeded => Status == "success";
    /// <summary>Finished without taking money.</summary>
    public bool Failed => Status is "failed" or "cancelled" or "error";
}

/// <summary>A refund as the provider sees it (GOV.UK Pay: status submitted, success or error).</summary>
internal sealed record ProviderRefund(string ProviderRefundId, long AmountPence, string Status);

internal sealed record ProviderCreateRequest(long AmountPence, string Reference, string Description, string ReturnUrl);

/// <summary>
/// The payment provider, shaped like GOV.UK Pay: create a payment, get its status, find it by our
/// reference. Every call may throw <see cref="ProviderUnavailableException"/>: the outcome is unknown
/// and is settled later by looking the payment up by our reference, never by guessing.
/// </summary>
internal interface IPaymentProvider
{
    Task<ProviderPayment> CreateAsync(ProviderCreateRequest request, CancellationToken ct);
    Task<ProviderPayment> GetAsync(string providerPaymentId, CancellationToken ct);
    /// <summary>The payment the provider holds for our reference, or null when it definitely holds none.</summary>
    Task<ProviderPayment?> FindByReferenceAsync(string reference, CancellationToken ct);
    /// <summary>
    /// Refunds part or all of a payment. <paramref name="refundAmountAvailablePence"/> is what we believe the
    /// provider can still refund: it refuses (412) when that is stale, so a retried refund never refunds twice.
    /// </summary>
    Task<ProviderRefund> RefundAsync(string providerPaymentId, long amountPence, long refundAmountAvailablePence, CancellationToken ct);
    /// <summary>The refunds the provider holds for a payment.</summary>
    Task<IReadOnlyList<ProviderRefund>> RefundsAsync(string providerPaymentId, CancellationToken ct);
}

/// <summary>The provider did not answer usefully (timeouts, 5xx, open circuit): outcome unknown.</summary>
internal sealed class ProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The provider refused the request (4xx): nothing was created.</summary>
internal sealed class ProviderRejectedException(int status) : Exception($"The payment provider refused the request ({status}).")
{
    public int Status { get; } = status;
}

/// <summary>Payments:Provider settings. The API key is a secret: it is sent, never logged or returned.</summary>
internal sealed class PaymentProviderOptions
{
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>The webhook signing secret: callbacks must carry Pay-Signature = hex HMAC-SHA256 of the body with it. Never logged.</summary>
    public string? WebhookSecret { get; set; }
    /// <summary>Where the provider sends the payer back; {council} and {id} are filled in.</summary>
    public string ReturnUrl { get; set; } = "http://127.0.0.1:5080/councils/{council}/payments/{id}";
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; set; } = 2;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;
    public TimeSpan CircuitBreakerBreak { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How long a payment whose create had an unknown outcome stays pending when the provider says it
    /// holds nothing for our reference, before we record that no money was taken.
    /// </summary>
    public TimeSpan UnknownOutcomeGrace { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How often pending card payments are settled in the background; zero turns the sweep off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// GOV.UK Pay over HTTP: POST /v1/payments, GET /v1/payments/{id}, GET /v1/payments?reference=.
/// Calls go through one Polly pipeline: retry (transient 5xx, timeouts, connection failures) around a
/// circuit breaker around a per-attempt timeout. A create that timed out may have created the payment,
/// so every retry of a create first looks the payment up by our reference and only creates again when
/// the provider says it holds none: never two payments for one of ours.
/// </summary>
internal sealed partial class GovUkPayProvider : IPaymentProvider
{
    private readonly HttpClient _http;
    private readonly PaymentProviderOptions _options;
    private readonly ILogger<GovUkPayProvider> _logger;
    private readonly ResiliencePipeline _pipeline;

    public GovUkPayProvider(HttpClient http, PaymentProviderOptions options, ILogger<GovUkPayProvider> logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
        var transient = new PredicateBuilder()
            .Handle<ProviderUnavailableException>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, args.Outcome.Exception?.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(options.CircuitBreakerMinimumThroughput, 2),
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakerBreak,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public async Task<ProviderPayment> CreateAsync(ProviderCreateRequest request, CancellationToken ct)
    {
        var attempted = false;
        return await Run(async token =>
        {
            if (attempted && await FindOnceAsync(request.Reference, token).ConfigureAwait(false) is { } existing)
                return existing; // the earlier attempt did create it
            attempted = true;
            using var message = Message(HttpMethod.Post, "/v1/payments");
            message.Content = JsonContent.Create(new JsonObject
            {
                ["amount"] = request.AmountPence,
                ["reference"] = request.Reference,
                ["description"] = request.Description,
                ["return_url"] = request.ReturnUrl,
            });
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            ThrowIfFailed(response);
            return Parse(await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false));
        }, ct).ConfigureAwait(false);
    }

    public Task<ProviderPayment> GetAsync(string providerPaymentId, CancellationToken ct) =>
        Run(async token =>
        {
            using var message = Message(HttpMethod.Get, "/v1/payments/" + Uri.EscapeDataString(providerPaymentId));
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            ThrowIfFailed(response);
            return Parse(await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false));
        }, ct);

    public Task<ProviderPayment?> FindByReferenceAsync(string reference, CancellationToken ct) =>
        Run(token => FindOnceAsync(reference, token), ct);

    public Task<ProviderRefund> RefundAsync(string providerPaymentId, long amountPence, long refundAmountAvailablePence, CancellationToken ct) =>
        Run(async token =>
        {
            // A retry after a timeout is safe: if the first attempt refunded, refund_amount_available is stale and the provider answers 412.
            using var message = Message(HttpMethod.Post, "/v1/payments/" + Uri.EscapeDataString(providerPaymentId) + "/refunds");
            message.Content = JsonContent.Create(new JsonObject { ["amount"] = amountPence, ["refund_amount_available"] = refundAmountAvailablePence });
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            ThrowIfFailed(response);
            return ParseRefund(await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false));
        }, ct);

    public Task<IReadOnlyList<ProviderRefund>> RefundsAsync(string providerPaymentId, CancellationToken ct) =>
        Run<IReadOnlyList<ProviderRefund>>(async token =>
        {
            using var message = Message(HttpMethod.Get, "/v1/payments/" + Uri.EscapeDataString(providerPaymentId) + "/refunds");
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            ThrowIfFailed(response);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false);
            return (body?["_embedded"]?["refunds"]?.AsArray() ?? []).OfType<JsonObject>().Select(ParseRefund).ToList();
        }, ct);

    private static ProviderRefund ParseRefund(JsonObject? body)
    {
        if (body?["refund_id"]?.GetValue<string>() is not { Length: > 0 } id || body["status"]?.GetValue<string>() is not { } status)
            throw new ProviderUnavailableException("The payment provider's answer was not understood.");
        return new ProviderRefund(id, body["amount"]?.GetValue<long>() ?? 0, status);
    }

    private async Task<ProviderPayment?> FindOnceAsync(string reference, CancellationToken token)
    {
        using var message = Message(HttpMethod.Get, "/v1/payments?reference=" + Uri.EscapeDataString(reference));
        using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
        ThrowIfFailed(response);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false);
        var first = body?["results"]?.AsArray().OfType<JsonObject>().FirstOrDefault();
        return first is null ? null : Parse(first);
    }

    private async Task<T> Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutRejectedException or BrokenCircuitException or HttpRequestException or IsolatedCircuitException)
        {
            LogUnavailable(_logger, e.GetType().Name);
            throw new ProviderUnavailableException("The payment provider did not answer.", e);
        }
    }

    private HttpRequestMessage Message(HttpMethod method, string path)
    {
        var message = new HttpRequestMessage(method, new Uri(new Uri(_options.BaseUrl!), path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return message;
    }

    private void ThrowIfFailed(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode) return;
        LogProviderStatus(_logger, status);
        if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new ProviderUnavailableException($"The payment provider answered {status}.");
        throw new ProviderRejectedException(status);
    }

    private static ProviderPayment Parse(JsonObject? body)
    {
        if (body?["payment_id"]?.GetValue<string>() is not { Length: > 0 } id || body["state"]?["status"]?.GetValue<string>() is not { } status)
            throw new ProviderUnavailableException("The payment provider's answer was not understood.");
        return new ProviderPayment(id, status, body["state"]?["finished"]?.GetValue<bool>() ?? false,
            body["_links"]?["next_url"]?["href"]?.GetValue<string>());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment provider call failed ({Failure}); attempt {Attempt} follows")]
    private static partial void LogRetry(ILogger logger, int attempt, string? failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment provider unavailable ({Failure}); the outcome will be settled by lookup")]
    private static partial void LogUnavailable(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment provider answered HTTP {Status}")]
    private static partial void LogProviderStatus(ILogger logger, int status);
}

/// <summary>
/// Local mode's stand-in when no Payments:Provider:BaseUrl is configured in Development: every card
/// payment "succeeds" as soon as its status is asked for. Stateless (the provider id is derived from
/// our reference), so two local hosts over one database agree. Never used outside Development.
/// </summary>
internal sealed class SimulatedPaymentProvider : IPaymentProvider
{
    public const string NextUrlBase = "/payments/simulator/";

    public Task<ProviderPayment> CreateAsync(ProviderCreateRequest request, CancellationToken ct) =>
        Task.FromResult(new ProviderPayment("sim-" + request.Reference, "created", false, NextUrlBase + "sim-" + request.Reference));

    public Task<ProviderPayment> GetAsync(string providerPaymentId, CancellationToken ct) =>
        Task.FromResult(new ProviderPayment(providerPaymentId, "success", true, null));

    public Task<ProviderPayment?> FindByReferenceAsync(string reference, CancellationToken ct) =>
        Task.FromResult<ProviderPayment?>(new ProviderPayment("sim-" + reference, "success", true, null));

    public Task<ProviderRefund> RefundAsync(string providerPaymentId, long amountPence, long refundAmountAvailablePence, CancellationToken ct) =>
        Task.FromResult(new ProviderRefund("simref-" + Guid.NewGuid().ToString("N")[..16], amountPence, "success"));

    public Task<IReadOnlyList<ProviderRefund>> RefundsAsync(string providerPaymentId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ProviderRefund>>([]);
}

/// <summary>No provider configured outside Development: card-not-present channels answer 503.</summary>
internal sealed class MissingPaymentProvider : IPaymentProvider
{
    private static ProviderUnavailableException Missing() => new("Payment provider not configured.");
    public Task<ProviderPayment> CreateAsync(ProviderCreateRequest request, CancellationToken ct) => throw Missing();
    public Task<ProviderPayment> GetAsync(string providerPaymentId, CancellationToken ct) => throw Missing();
    public Task<ProviderPayment?> FindByReferenceAsync(string reference, CancellationToken ct) => throw Missing();
    public Task<ProviderRefund> RefundAsync(string providerPaymentId, long amountPence, long refundAmountAvailablePence, CancellationToken ct) => throw Missing();
    public Task<IReadOnlyList<ProviderRefund>> RefundsAsync(string providerPaymentId, CancellationToken ct) => throw Missing();
}
