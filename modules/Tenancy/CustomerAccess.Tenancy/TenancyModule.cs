using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using CustomerAccess.Tenancy.Features;
using CustomerAccess.Tenancy.ReadModels;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Tenancy;

/// <summary>
/// The Tenancy module's registration: the partner councils (directory, service standards, bank
/// holidays), data-sharing agreements, local users and local sign-in.
/// </summary>
public sealed class TenancyModule : IModule
{
    public string Name => "tenancy";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CouncilDirectory>();
        services.AddSingleton<ICouncilDirectory>(sp => sp.GetRequiredService<CouncilDirectory>());
        services.AddSingleton<DataSharing>();
        services.AddSingleton<IDataSharing>(sp => sp.GetRequiredService<DataSharing>());
        services.AddSingleton<ILocalSignIn, LocalSignIn>();
        services.AddSingleton<ILocalSigningKey, SigningKeyStore>();
        services.AddSingleton<IInlineProjection, TenancyProjection>();
        services.AddSingleton<ILocalSeeder, LocalSeed>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var council = endpoints.MapCouncilApi();
        IssueToken.Map(endpoints);
        ListCouncils.Map(endpoints, council);
        OnboardCouncil.Map(endpoints);
        SetDataSharing.Map(council);
        Reports.PerformanceReports.Map(endpoints);
    }
}
