using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Platform.Modules;

/// <summary>
/// A module's public face: the host calls these to compose it. Its assembly's embedded
/// Schema/*.sql scripts are its migrations and its [EventType] classes are registered for it.
/// </summary>
public interface IModule
{
    /// <summary>The module's name as it appears on the timeline (customer, case, payments, ...).</summary>
    string Name { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration);

    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
