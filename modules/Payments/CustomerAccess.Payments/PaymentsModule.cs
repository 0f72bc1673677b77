using CustomerAccess.Platform.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Payments;

/// <summary>The Payments module's registration: its services, endpoints, events and schema.</summary>
public sealed class PaymentsModule : IModule
{
    public string Name => "payments";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
