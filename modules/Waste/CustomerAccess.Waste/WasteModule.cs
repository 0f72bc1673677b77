using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Waste;

/// <summary>
/// The Waste module: collection rounds and the bin-day calendar (JSON and iCalendar), with
/// bank-holiday shifts.
/// </summary>
public sealed class WasteModule : IModule
{
    public string Name => "waste";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ILocalSeeder, WasteSeeder>();
        services.AddSingleton<WasteClock>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Waste");
        GetCollections.Map(api, endpoints);
    }
}
