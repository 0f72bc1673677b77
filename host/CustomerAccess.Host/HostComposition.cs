using CustomerAccess.Host.Access;
using CustomerAccess.Host.Ui;
using CustomerAccess.Platform;
using CustomerAccess.Platform.Database;
using CustomerAccess.Platform.EventStore;
using CustomerAccess.Platform.Messaging;
using CustomerAccess.Platform.Web;
using CustomerAccess.Platform.Modules;

namespace CustomerAccess.Host;

/// <summary>Composes the modular monolith: platform, modules, operations routes.</summary>
public static class HostComposition
{
    /// <summary>Every module, in the order their migrations run.</summary>
    public static IReadOnlyList<IModule> Modules { get; } =
    [
        new CustomerAccess.Tenancy.TenancyModule(),
        new CustomerAccess.Customer.CustomerModule(),
        new CustomerAccess.Case.CaseModule(),
        new CustomerAccess.Payments.PaymentsModule(),
        new CustomerAccess.Waste.WasteModule(),
        new CustomerAccess.Bookings.BookingsModule(),
    ];

    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // The host's own name, not the entry assembly's, so Razor Pages are found when a test starts it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args, ApplicationName = typeof(HostComposition).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        // Hosting's request scope puts the raw path on every line logged during a request, and its
        // request start/finish lines carry path and query: a card number refused by CardNumberGuard
        // would be logged with them. Set in code, after configuration, so no setting turns it back on;
        // our own error lines name the path once the guard has passed it.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.AddCustomerAccessTelemetry();

        var assemblies = new[] { typeof(CustomerAccess.Contracts.ContractsAssembly).Assembly }
            .Concat(Modules.Select(m => m.GetType().Assembly)).ToArray();
        builder.Services.AddCustomerAccessPlatform(builder.Configuration, assemblies);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= DefaultDetail(c.ProblemDetails.Status));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new LenientStringConverter()));
        builder.Services.AddOpenApi();
        // A query or route value that does not bind (limit=abc) is an exception the problem handler
        // turns into a 400 naming the parameter, in every environment (the framework's default only
        // throws in Development and otherwise answers a bare 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.AddCustomerAccessAuthentication();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CustomerAccess.Host.Ui.CouncilContext>();
        builder.Services.AddScoped<ICurrentCouncil>(sp => sp.GetRequiredService<CustomerAccess.Host.Ui.CouncilContext>());
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignOut");
            o.Conventions.AllowAnonymousToPage("/Status");
        }).ConfigureApplicationPartManager(parts =>
        {
            // Modules that are Razor class libraries hold their own screens (e.g. Customer's Pages/):
            // add them as application parts explicitly (project references are not discovered).
            foreach (var assembly in Modules.Select(m => m.GetType().Assembly).Distinct())
                if (assembly.GetCustomAttributes(typeof(Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemAttribute), false).Length > 0
                    && !parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
                    foreach (var part in Microsoft.AspNetCore.Mvc.ApplicationParts.ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                        parts.ApplicationParts.Add(part);
        });
        foreach (var module in Modules) module.AddServices(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.Services.GetRequiredService<TelemetryProviders>();
        if (app.Configuration.GetValue("CustomerAccess:MigrateOnStartup", true))
            await app.Services.GetRequiredService<Migrator>().MigrateAsync().ConfigureAwait(false);
        if (app.Configuration.GetValue("CustomerAccess:SeedLocal", false))
            foreach (var seeder in app.Services.GetServices<ILocalSeeder>().OrderBy(s => s.Order))
                await seeder.SeedAsync(CancellationToken.None).ConfigureAwait(false);
        await HostAuthentication.WarmUpAsync(app).ConfigureAwait(false);

        app.UseRequestSpanTags();
        app.UseExceptionHandler();
        // Errors are problem+json, except that a browser's 403/404 on a screen re-renders as a page (Pages/Status.cshtml).
        app.UseWhen(c => !IsBrowserPage(c), api => api.UseStatusCodePages());
        app.UseWhen(IsBrowserPage, ui => ui.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseUiSecurityHeaders();
        app.UseStaticFiles();
        // Routing after the status code pages, so a re-executed /status/{code} is routed afresh.
        app.UseRouting();
        app.UseMiddleware<CardNumberGuard>();
        app.UseMiddleware<NulCharacterGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseReadModelWait();
        app.UseMiddleware<WritePositionFallback>();
        app.MapRazorPages();
        app.MapOpenApi().AllowAnonymous();
        MapOperations(app);
        app.MapDeadLetterAdmin();
        app.MapAudit();
        foreach (var module in Modules) module.MapEndpoints(app);
        return app;
    }

    /// <summary>Every problem says what happened: the framework's own (sign-in, routing, media type) come with a title only.</summary>
    private static string? DefaultDetail(int? status) => status switch
    {
        401 => "Sign in first: send a valid bearer token (POST /api/auth/token).",
        403 => "Your role does not allow this, or you do not act for this council.",
        404 => "There is nothing at this address.",
        405 => "This address does not accept that method.",
        406 => "This address cannot answer in the media type asked for.",
        413 => "The request body is too large.",
        415 => "Send the body as application/json (or the media type this address documents).",
        _ => null,
    };

    private static bool IsBrowserPage(HttpContext c) => BrowserPages.IsPage(c);

    private static void MapOperations(WebApplication app)
    {
        var ops = app.MapGroup("/health").AllowAnonymous().ExcludeFromDescription();
        ops.MapGet("/live", () => Results.Ok(new { status = "live" }));
        ops.MapGet("/ready", async (PlatformDatabase db, Migrator migrator, CancellationToken ct) =>
        {
            try
            {
                return await migrator.IsUpToDateAsync(db.System, ct).ConfigureAwait(false)
                    ? Results.Ok(new { status = "ready" })
                    : Results.Problem(statusCode: 503, title: "Not ready", detail: "Database migrations have not all been applied.");
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return Results.Problem(statusCode: 503, title: "Not ready", detail: "The database is not reachable.");
            }
        });
    }
}
