using CustomerAccess.Case.Features;
using CustomerAccess.Case.Knowledge;
using CustomerAccess.Case.ReadModels;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAccess.Case;

/// <summary>The Case module: cases and their lifecycle, team queues, members' casework, the knowledge base.</summary>
public sealed class CaseModule : IModule
{
    public string Name => "case";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IInlineProjection, CaseProjection>();
        services.AddSingleton<ILocalSeeder, KnowledgeSeeder>();
        // The case screens (Pages/Cases) are compiled into this assembly and use the host's layout.
        // The host may or may not have found this assembly as an application part (it depends on how
        // the dependency context lists it); the compiled Razor part is what makes its pages routable.
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            var assembly = typeof(CaseModule).Assembly;
            if (!parts.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly))
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
            if (!parts.ApplicationParts.Any(p => p is CompiledRazorAssemblyPart c && c.Assembly == assembly))
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Cases");
        RaiseCase.Map(api);
        GetCase.Map(api);
        EscalateCase.Map(api);
        StartCase.Map(api);
        AddNote.Map(api);
        ResolveCase.Map(api);
        ReopenCase.Map(api);
        ComplaintStage2.Map(api);
        FlagSafeguarding.Map(api);
        CaseLists.Map(api);
        KnowledgeArticles.Map(api);
    }
}
