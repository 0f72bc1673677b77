using CustomerAccess.Customer.Features;
using CustomerAccess.Customer.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Customer.Gazetteer;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Customer;

/// <summary>The Customer module: the customer index, contacts, flags and the single timeline.</summary>
public sealed class CustomerModule : IModule
{
    public string Name => "customer";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IAddressBook, GazetteerAddressBook>();
        services.AddSingleton<IInlineProjection, CustomerProjection>();
        // Gazetteer (LLPG addresses): Gazetteer/
        services.AddSingleton<GazetteerImporter>();
        services.AddSingleton<ILocalSeeder, GazetteerSeeder>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Customers");
        RegisterCustomer.Map(api);
        FindCustomers.Map(api);
        GetCustomer.Map(api);
        ChangeDetails.Map(api);
        LogContact.Map(api);
        Flags.Map(api);
        MergeCustomers.Map(api);
        History.Map(api);
        GetTimeline.Map(api);
        ExportAndErasure.Map(api);
        GazetteerEndpoints.Map(endpoints);
    }
}
