using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CustomerAccess.Waste.Contractor;

/// <summary>What the contractor needs to do the job: our id (its idempotency key), where and what. Location is the
/// reporter's words for the place (fly-tipping reported without a point has only these); MediaUrl the reporter's photo.</summary>
internal sealed record ContractorWorksOrder(string WorksOrderId, string Council, string Kind, long? Uprn, string? Container, string? CollectionDate,
    string? Reason = null, double? Latitude = null, double? Longitude = null, string? Description = null, IReadOnlyList<string>? Items = null,
    string? Location = null, string? MediaUrl = null);

/// <summary>The waste collection contractor's system: takes a works order and answers its own reference.</summary>
internal interface IContractorClient
{
    /// <summary>Null when no contractor is configured: the order stays raised.</summary>
    Task<string?> SendAsync(ContractorWorksOrder order, CancellationToken ct);

    /// <summary>Calls off an order the contractor holds (its reference). An order the contractor no longer has, or has already closed, counts as done.</summary>
    Task CancelAsync(string worksOrderId, string contractorReference, CancellationToken ct);
}

/// <summary>The contractor did not answer usefully (5xx, timeouts, connection failures) after the retries.</summary>
internal sealed class ContractorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The contractor refused the order (4xx): retrying will not help; it goes to dead letters for a person to look at.</summary>
internal sealed class ContractorRejectedException(int status) : Exception($"The contractor refused the works order ({status}).");

/// <summary>Waste:Contractor settings. The API key is a secret: sent, never logged.</summary>
internal sealed class ContractorOptions
{
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// A REST contractor API: POST {BaseUrl}/works-orders with our works order id as Idempotency-Key
/// (and in the body as clientReference), answering { "reference": "..." }. One Polly pipeline: retry
/// (5xx, timeouts, connection failures; exponential with jitter) around a per-attempt timeout. When
/// the retries run out the exception reaches the outbox dispatcher, which tries again later and, in
/// the end, dead-letters the message.
/// </summary>
internal sealed partial class RestContractorClient : IContractorClient
{
    private readonly HttpClient _http;
    private readonly ContractorOptions _options;
    private readonly ILogger<RestContractorClient> _logger;
    private readonly ResiliencePipeline _pipeline;

    public RestContractorClient(HttpClient http, ContractorOptions options, ILogger<RestContractorClient> logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<ContractorUnavailableException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
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
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>
    /// POST {BaseUrl}/works-orders/{reference}/cancellation, with Idempotency-Key "cancel-" + our id.
    /// 404 (not theirs any more) and 409 (already closed) are final answers, not failures.
    /// </summary>
    public async Task CancelAsync(string worksOrderId, string contractorReference, CancellationToken ct)
    {
        try
        {
            await _pipeline.ExecuteAsync(async token =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(_options.BaseUrl!.TrimEnd('/') + "/"),
                    "works-orders/" + Uri.EscapeDataString(contractorReference) + "/cancellation"));
                message.Headers.Add("Idempotency-Key", "cancel-" + worksOrderId);
                if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new("Bearer", _options.ApiKey);
                message.Content = JsonContent.Create(new JsonObject { ["clientReference"] = worksOrderId });
                using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 500 || status == 429) throw new ContractorUnavailableException($"The contractor answered {status}.");
                if (!response.IsSuccessStatusCode && status is not (404 or 409)) throw new ContractorRejectedException(status);
            }, ct).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ContractorUnavailableException("The contractor did not answer in time.", e);
        }
    }

    public async Task<string?> SendAsync(ContractorWorksOrder order, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(_options.BaseUrl!.TrimEnd('/') + "/"), "works-orders"));
                message.Headers.Add("Idempotency-Key", order.WorksOrderId);
                if (!string.IsNullOrEmpty(_options.ApiKey)) message.Headers.Authorization = new("Bearer", _options.ApiKey);
                message.Content = JsonContent.Create(new JsonObject
                {
                    ["clientReference"] = order.WorksOrderId,
                    ["council"] = order.Council,
                    ["type"] = order.Kind,
                    ["uprn"] = order.Uprn,
                    ["container"] = order.Container,
                    ["collectionDate"] = order.CollectionDate,
                    ["reason"] = order.Reason,
                    ["latitude"] = order.Latitude,
                    ["longitude"] = order.Longitude,
                    ["description"] = order.Description,
                    ["location"] = order.Location,
                    ["mediaUrl"] = order.MediaUrl,
                    ["items"] = order.Items is null ? null : new JsonArray(order.Items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
                });
                using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 500 || status == 429) throw new ContractorUnavailableException($"The contractor answered {status}.");
                if (!response.IsSuccessStatusCode) throw new ContractorRejectedException(status);
                var body = await response.Content.ReadFromJsonAsync<JsonObject>(token).ConfigureAwait(false);
                var reference = body?["reference"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(reference)) throw new ContractorUnavailableException("The contractor answered without a reference.");
                return reference;
            }, ct).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ContractorUnavailableException("The contractor did not answer in time.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contractor call failed ({Error}); attempt {Attempt} next")]
    private static partial void LogRetry(ILogger logger, int attempt, string? error);
}

/// <summary>Development without Waste:Contractor:BaseUrl: a contractor that accepts every order at once.</summary>
internal sealed class SimulatedContractorClient : IContractorClient
{
    public Task<string?> SendAsync(ContractorWorksOrder order, CancellationToken ct) =>
        Task.FromResult<string?>("SIM-" + order.WorksOrderId[^8..].ToUpperInvariant());

    public Task CancelAsync(string worksOrderId, string contractorReference, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>No contractor configured outside Development: orders stay raised (and say so in the log).</summary>
internal sealed partial class MissingContractorClient(ILogger<MissingContractorClient> logger) : IContractorClient
{
    public Task<string?> SendAsync(ContractorWorksOrder order, CancellationToken ct)
    {
        LogNotConfigured(logger, order.WorksOrderId);
        return Task.FromResult<string?>(null);
    }

    // Unreachable in practice: without a contractor no order is ever sent, so none has a reference to cancel.
    public Task CancelAsync(string worksOrderId, string contractorReference, CancellationToken ct)
    {
        LogNotConfigured(logger, worksOrderId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Works order {WorksOrderId} stays raised: Waste:Contractor:BaseUrl is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string worksOrderId);
}
