using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using CustomerAccess.Waste.Contractor;
using CustomerAccess.Waste.Domain;
using CustomerAccess.Waste.Features;
using CustomerAccess.Waste.Open311;
using CustomerAccess.Waste.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Waste;

/// <summary>
/// The Waste module: collection rounds and the bin-day calendar (JSON and iCalendar) with
/// bank-holiday shifts, missed-bin reports raising one works order per property, container and
/// collection, bin requests, fly-tipping and bulky collections (from Bookings) as works orders sent to
/// the collection contractor through the outbox, and garden waste subscriptions paid through Payments.
/// Its screens (Pages/Waste) are compiled into this assembly and use the host's layout.
/// Configuration: Waste:Contractor:BaseUrl and Waste:Contractor:ApiKey (never logged). Without a
/// BaseUrl, Development (./run.sh) uses a built-in simulator that accepts every order; any other
/// environment leaves orders raised and logs a warning.
/// </summary>
public sealed class WasteModule : IModule
{
    public string Name => "waste";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = new ContractorOptions();
        configuration.GetSection("Waste:Contractor").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<ILocalSeeder, WasteSeeder>();
        services.AddSingleton<WasteClock>();
        services.AddSingleton<IInlineProjection, WasteProjection>();
        O311Registration.AddServices(services);
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            var assembly = typeof(WasteModule).Assembly;
            if (!parts.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly))
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
            if (!parts.ApplicationParts.Any(p => p is CompiledRazorAssemblyPart c && c.Assembly == assembly))
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
        });
        services.AddSingleton<IContractorClient>(sp =>
        {
            if (!string.IsNullOrWhiteSpace(options.BaseUrl))
            {
                // Polly's pipeline owns timeouts and retries; the client itself never gives up first.
                var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
                return new RestContractorClient(http, options, sp.GetRequiredService<ILogger<RestContractorClient>>());
            }
            return sp.GetRequiredService<IHostEnvironment>().IsDevelopment()
                ? new SimulatedContractorClient()
                : new MissingContractorClient(sp.GetRequiredService<ILogger<MissingContractorClient>>());
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Waste");
        GetCollections.Map(api, endpoints);
        ReportMissedBin.Map(api);
        RequestBin.Map(api);
        ReportFlyTipping.Map(api);
        WorksOrders.Map(api);
        O311Endpoints.Map(endpoints);
        GardenSubscriptions.Map(api);
        // Configuration a partnership admin sets for a council (its rounds, garden prices, Open311 keys).
        ConfigureRounds.Map(api);
        GardenPrices.Map(api);
        O311KeyAdmin.Map(api);
    }
}
