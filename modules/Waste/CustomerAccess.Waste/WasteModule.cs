using CustomerAccess.Platform.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Waste;

/// <summary>The Waste module's registration: its services, endpoints, events and schema.</summary>
public sealed class WasteModule : IModule
{
    public string Name => "waste";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
