using CustomerAccess.Platform.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Tenancy;

/// <summary>The Tenancy module's registration: its services, endpoints, events and schema.</summary>
public sealed class TenancyModule : IModule
{
    public string Name => "tenancy";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
