using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Waste.Open311;

/// <summary>Open311's services: the feed projection and the local key seeder (WasteModule calls this).</summary>
internal static class O311Registration
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IInlineProjection, O311Projection>();
        services.AddSingleton<ILocalSeeder, O311KeySeeder>();
    }
}
