using CustomerAccess.Contracts;
using CustomerAccess.Payments.Domain;
using CustomerAccess.Payments.Features;
using CustomerAccess.Payments.Provider;
using CustomerAccess.Payments.ReadModels;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Modules;
using CustomerAccess.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerAccess.Payments;

/// <summary>
/// The Payments module: taking and refunding payments for council funds, card payments through a
/// GOV.UK Pay-shaped provider, receipts, and the daily cash-up.
/// Configuration: Payments:Provider:BaseUrl and Payments:Provider:ApiKey (the key is never logged).
/// Without a BaseUrl, Development (./run.sh) uses a built-in simulator whose card payments succeed;
/// any other environment answers 503 "payment provider not configured" for web and telephone.
/// </summary>
public sealed class PaymentsModule : IModule
{
    public string Name => "payments";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = new PaymentProviderOptions();
        configuration.GetSection("Payments:Provider").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<IInlineProjection, PaymentsProjection>();
        services.AddSingleton<ILocalSeeder, PaymentsSeeder>();
        services.AddSingleton<ProviderOutcome>();
        services.AddSingleton<ProviderRefundStatus>();
        services.AddHostedService<SweepPendingPayments>();
        // The payment screens (Pages/Payments) are compiled into this assembly and use the host's layout;
        // the compiled Razor part is what makes them routable (as in the Case module).
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            var assembly = typeof(PaymentsModule).Assembly;
            if (!parts.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly))
                parts.ApplicationParts.Add(new AssemblyPart(assembly));
            if (!parts.ApplicationParts.Any(p => p is CompiledRazorAssemblyPart c && c.Assembly == assembly))
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
        });
        services.AddSingleton(sp =>
        {
            var development = sp.GetRequiredService<IHostEnvironment>().IsDevelopment();
            var configured = !string.IsNullOrWhiteSpace(options.BaseUrl);
            return new ProviderAvailability(configured || development, !configured && development);
        });
        services.AddSingleton<IPaymentProvider>(sp =>
        {
            var availability = sp.GetRequiredService<ProviderAvailability>();
            if (availability.Simulated) return new SimulatedPaymentProvider();
            if (!availability.Configured) return new MissingPaymentProvider();
            // Polly's pipeline owns timeouts and retries; the client itself never gives up first.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
            return new GovUkPayProvider(http, options, sp.GetRequiredService<ILogger<GovUkPayProvider>>());
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapCouncilApi().WithTags("Payments");
        TakePayment.Map(api);
        GetPayments.Map(api);
        IssueRefund.Map(api);
        CashUp.Map(api);
        PaymentRequests.Map(api);
        ProviderCallback.Map(endpoints);
    }
}

/// <summary>Local mode: each seed council's funds (idempotent; receipt counters start with a council's first receipt).</summary>
internal sealed class PaymentsSeeder(PlatformDatabase db) : ILocalSeeder
{
    public int Order => 40;

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var council in SeedCouncils.All)
        {
            await using var tx = await db.BeginAsync(council, ct).ConfigureAwait(false);
            await Ledger.EnsureFundsAsync(tx.Connection, tx.Transaction, council, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }
}
