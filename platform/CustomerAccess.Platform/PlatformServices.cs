using System.Reflection;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.PersonalData;
using CustomerAccess.Platform.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Platform;

public static class PlatformServices
{
    /// <summary>
    /// Registers the event store, database access and migrations for the given assemblies
    /// (the platform's own, contracts and every module).
    /// Configuration: ConnectionStrings:Admin (owner, runs migrations), optional ConnectionStrings:App
    /// and ConnectionStrings:System, and CustomerAccess:MasterKey (base64, 32 bytes).
    /// Also subscriptions, outbox, mediator (<see cref="MessagingServices.AddCustomerAccessMessaging"/>;
    /// settings under CustomerAccess:Messaging).
    /// </summary>
    public static IServiceCollection AddCustomerAccessPlatform(this IServiceCollection services, IConfiguration configuration, IEnumerable<Assembly> assemblies)
    {
        var all = new[] { typeof(PlatformServices).Assembly }.Concat(assemblies).Distinct().ToArray();
        var admin = configuration.GetConnectionString("Admin")
            ?? throw new InvalidOperationException("ConnectionStrings:Admin is not configured (run.sh sets it for local mode).");
        services.AddSingleton(_ => new PlatformDatabase(admin, configuration.GetConnectionString("App"), configuration.GetConnectionString("System")));
        services.AddSingleton(_ =>
        {
            var key = configuration["CustomerAccess:MasterKey"]
                ?? throw new InvalidOperationException("CustomerAccess:MasterKey is not configured (base64 of 32 random bytes).");
            return PersonalDataProtector.FromBase64(key);
        });
        services.AddSingleton(_ =>
        {
            var registry = new EventTypeRegistry();
            foreach (var assembly in all) registry.RegisterAssembly(assembly);
            return registry;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EventStore.EventStore>(sp => new EventStore.EventStore(
            sp.GetRequiredService<PlatformDatabase>(), sp.GetRequiredService<EventTypeRegistry>(), sp.GetRequiredService<PersonalDataProtector>(),
            sp.GetServices<IInlineProjection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Migrator(admin, all, sp.GetRequiredService<ILoggerFactory>().CreateLogger<Migrator>()));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddCustomerAccessMessaging(all, configuration);
        return services;
    }
}
