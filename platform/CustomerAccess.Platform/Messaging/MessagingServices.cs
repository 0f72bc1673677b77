using System.Reflection;
using CustomerAccess.Platform.Mediator;
using CustomerAccess.Platform.Projections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAccess.Platform.Messaging;

public static class MessagingServices
{
    /// <summary>
    /// Subscriptions, outbox dispatcher, dead letters, read-model waiting and the mediator. Every
    /// concrete IProjection, IMessageHandler&lt;T&gt;, IRequestHandler&lt;,&gt;, IValidator&lt;T&gt; and
    /// IAuthorizer&lt;T&gt; in <paramref name="assemblies"/> is registered, and every [MessageType].
    /// Needs the event store (AddCustomerAccessPlatform calls this).
    /// </summary>
    public static IServiceCollection AddCustomerAccessMessaging(this IServiceCollection services, IEnumerable<Assembly> assemblies,
        IConfiguration? configuration = null, Action<MessagingOptions>? configure = null)
    {
        var list = assemblies.Distinct().ToArray();
        var options = services.AddOptions<MessagingOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(MessagingOptions.Section));
        if (configure is not null) options.Configure(configure);

        services.TryAddSingleton(sp =>
        {
            var registry = new MessageTypeRegistry();
            foreach (var assembly in list) registry.RegisterAssembly(assembly);
            foreach (var registration in sp.GetServices<MessageTypeRegistration>()) registry.Register(registration.Type);
            return registry;
        });
        services.TryAddSingleton<SubscriptionRunner>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.TryAddSingleton<ReadModelWaiter>();
        services.TryAddSingleton<DeadLetters>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<Submissions.SubmissionKeySweep>();

        services.TryAddScoped<IMediator, Mediator.Mediator>();
        // Outermost first: a span around everything, then refuse early, then retry the handler only.
        services.TryAddEnumerable(ServiceDescriptor.Transient(typeof(IPipelineBehavior<,>), typeof(TracingBehavior<,>)));
        services.TryAddEnumerable(ServiceDescriptor.Transient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>)));
        services.TryAddEnumerable(ServiceDescriptor.Transient(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehavior<,>)));
        services.TryAddEnumerable(ServiceDescriptor.Transient(typeof(IPipelineBehavior<,>), typeof(ConcurrencyRetryBehavior<,>)));

        foreach (var type in list.SelectMany(a => a.GetTypes()).Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            if (typeof(IProjection).IsAssignableFrom(type))
                services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IProjection), type));
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IMessageHandler<>) || definition == typeof(IValidator<>) || definition == typeof(IAuthorizer<>))
                    services.TryAddEnumerable(ServiceDescriptor.Scoped(contract, type));
                else if (definition == typeof(IRequestHandler<,>))
                    services.TryAddScoped(contract, type);
            }
        }
        return services;
    }

    /// <summary>Registers one projection (for tests and for modules that prefer to be explicit).</summary>
    public static IServiceCollection AddProjection<TProjection>(this IServiceCollection services) where TProjection : class, IProjection
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProjection, TProjection>());
        return services;
    }

    public static IServiceCollection AddProjection(this IServiceCollection services, IProjection projection)
    {
        services.AddSingleton<IProjection>(projection);
        return services;
    }

    /// <summary>Registers one handler and its message type.</summary>
    public static IServiceCollection AddMessageHandler<TMessage, THandler>(this IServiceCollection services)
        where THandler : class, IMessageHandler<TMessage>
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IMessageHandler<TMessage>, THandler>());
        services.AddSingleton(new MessageTypeRegistration(typeof(TMessage)));
        return services;
    }

    public static IServiceCollection AddMessageHandler<TMessage>(this IServiceCollection services, IMessageHandler<TMessage> handler)
    {
        services.AddSingleton<IMessageHandler<TMessage>>(handler);
        services.AddSingleton(new MessageTypeRegistration(typeof(TMessage)));
        return services;
    }
}

/// <summary>A message type registered one by one rather than found in an assembly.</summary>
public sealed record MessageTypeRegistration(Type Type);
