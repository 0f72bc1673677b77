using System.Collections.Concurrent;
using System.Diagnostics;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Web;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace CustomerAccess.Platform.Mediator;

/// <summary>A command or query answered by exactly one <see cref="IRequestHandler{TRequest,TResponse}"/>.</summary>
#pragma warning disable CA1040 // a marker that carries the response type
public interface IRequest<TResponse>;
#pragma warning restore CA1040

public interface IRequestHandler<in TRequest, TResponse> where TRequest : IRequest<TResponse>
{
    Task<TResponse> HandleAsync(TRequest request, CancellationToken ct);
}

public delegate Task<TResponse> RequestHandlerDelegate<TResponse>();

/// <summary>Wraps every request's handling; registered ones run in registration order, outermost first.</summary>
public interface IPipelineBehavior<in TRequest, TResponse>
{
    Task<TResponse> HandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct);
}

/// <summary>Optional per request type: adds field errors; any error → 400 problem, nothing runs.</summary>
public interface IValidator<in TRequest>
{
    void Validate(TRequest request, Validator errors);
}

/// <summary>Optional per request type: throws <see cref="ApiProblemException"/> (403/404) to refuse.</summary>
public interface IAuthorizer<in TRequest>
{
    Task AuthorizeAsync(TRequest request, CancellationToken ct);
}

public interface IMediator
{
    Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken ct = default);
}

/// <summary>Resolves the handler and the behaviours from the current DI scope; no reflection per call beyond a cached lookup.</summary>
public sealed class Mediator(IServiceProvider services) : IMediator
{
    private static readonly ConcurrentDictionary<(Type, Type), Invoker> Invokers = new();

    public Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invoker = (Invoker<TResponse>)Invokers.GetOrAdd((request.GetType(), typeof(TResponse)),
            static key => (Invoker)Activator.CreateInstance(typeof(Invoker<,>).MakeGenericType(key.Item1, key.Item2))!);
        return invoker.InvokeAsync(request, services, ct);
    }

    private abstract class Invoker;

    private abstract class Invoker<TResponse> : Invoker
    {
        public abstract Task<TResponse> InvokeAsync(IRequest<TResponse> request, IServiceProvider services, CancellationToken ct);
    }

    private sealed class Invoker<TRequest, TResponse> : Invoker<TResponse> where TRequest : IRequest<TResponse>
    {
        public override Task<TResponse> InvokeAsync(IRequest<TResponse> request, IServiceProvider services, CancellationToken ct)
        {
            var typed = (TRequest)request;
            var handler = services.GetService<IRequestHandler<TRequest, TResponse>>()
                ?? throw new InvalidOperationException($"No IRequestHandler<{typeof(TRequest).Name}, {typeof(TResponse).Name}> is registered.");
            RequestHandlerDelegate<TResponse> next = () => handler.HandleAsync(typed, ct);
            foreach (var behavior in services.GetServices<IPipelineBehavior<TRequest, TResponse>>().Reverse())
            {
                var inner = next;
                next = () => behavior.HandleAsync(typed, inner, ct);
            }
            return next();
        }
    }
}

/// <summary>One span per request, named after the request type.</summary>
public sealed class TracingBehavior<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse> where TRequest : notnull
{
    public async Task<TResponse> HandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct)
    {
        using var activity = EventStore.EventStore.ActivitySource.StartActivity("mediator " + typeof(TRequest).Name, ActivityKind.Internal);
        activity?.SetTag("customeraccess.request", typeof(TRequest).FullName);
        try
        {
            return await next().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}

public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse> where TRequest : notnull
{
    public Task<TResponse> HandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct)
    {
        var errors = new Validator();
        foreach (var validator in validators) validator.Validate(request, errors);
        errors.ThrowIfInvalid();
        return next();
    }
}

public sealed class AuthorizationBehavior<TRequest, TResponse>(IEnumerable<IAuthorizer<TRequest>> authorizers)
    : IPipelineBehavior<TRequest, TResponse> where TRequest : notnull
{
    public async Task<TResponse> HandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct)
    {
        foreach (var authorizer in authorizers) await authorizer.AuthorizeAsync(request, ct).ConfigureAwait(false);
        return await next().ConfigureAwait(false);
    }
}

/// <summary>
/// Retries a handler that lost an optimistic-concurrency race: it reloads its stream and decides
/// again. A few attempts, exponential backoff with jitter; the last failure becomes a 409.
/// </summary>
public sealed class ConcurrencyRetryBehavior<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse> where TRequest : notnull
{
    internal static readonly ResiliencePipeline Pipeline = ConcurrencyRetry.Build(3, TimeSpan.FromMilliseconds(20));

    public async Task<TResponse> HandleAsync(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct) =>
        await Pipeline.ExecuteAsync(async _ => await next().ConfigureAwait(false), ct).ConfigureAwait(false);
}
