using CustomerAccess.Platform.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Case;

/// <summary>The Case module's registration: its services, endpoints, events and schema.</summary>
public sealed class CaseModule : IModule
{
    public string Name => "case";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
