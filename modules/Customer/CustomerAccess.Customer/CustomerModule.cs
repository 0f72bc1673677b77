using CustomerAccess.Customer.Gazetteer;
using CustomerAccess.Platform.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Customer;

/// <summary>The Customer module's registration: its services, endpoints, events and schema.</summary>
public sealed class CustomerModule : IModule
{
    public string Name => "customer";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Gazetteer (LLPG addresses): Gazetteer/
        services.AddSingleton<GazetteerImporter>();
        services.AddSingleton<ILocalSeeder, GazetteerSeeder>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        GazetteerEndpoints.Map(endpoints);
    }
}
