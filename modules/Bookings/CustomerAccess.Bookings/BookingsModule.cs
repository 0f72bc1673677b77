using CustomerAccess.Bookings.Features;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Bookings;

/// <summary>The Bookings module: bookable resources and their slots, bookings, and the bulky-waste collection journey.</summary>
public sealed class BookingsModule : IModule
{
    public string Name => "bookings";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(BookingsOptions.From(configuration));
        services.AddSingleton<ILocalSeeder, ResourceSeeder>();
        services.AddSingleton<HoldSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<HoldSweep>());
        // The booking screens (Pages/Bookings) are compiled into this assembly and use the host's layout.
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            var assembly = typeof(BookingsModule).Assembly;
            if (!parts.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly))
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
            if (!parts.ApplicationParts.Any(p => p is CompiledRazorAssemblyPart c && c.Assembly == assembly))
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Bookings");
        Resources.Map(api);
        ConfigureResource.Map(api);
        Features.Bookings.Map(api);
        BulkyCollections.Map(api);
    }
}
