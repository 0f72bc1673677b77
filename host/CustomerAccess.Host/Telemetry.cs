using System.Diagnostics;
using CustomerAccess.Platform.EventStore;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CustomerAccess.Host;

/// <summary>
/// OpenTelemetry wired by hand (OpenTelemetry.Extensions.Hosting is not obtainable here): one tracer
/// provider and one meter provider per host, exporting over OTLP only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set, disposed (and so flushed) when the host stops.
/// </summary>
public static class Telemetry
{
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "CustomerAccess.*"];

    public static void AddCustomerAccessTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var export = !string.IsNullOrWhiteSpace(endpoint);
        var resource = ResourceBuilder.CreateDefault().AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "customeraccess");

        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources);
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource)
            .AddMeter(EventStore.Meter.Name, "CustomerAccess.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql");
        if (export)
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }
        var providers = new TelemetryProviders(tracing.Build(), metrics.Build());
        // Returned from a factory so the container owns it and disposes it at shutdown; HostComposition
        // resolves it at start-up.
        builder.Services.AddSingleton(_ => providers);
    }

    /// <summary>ASP.NET Core's request span carries no route or status of its own: add them.</summary>
    public static IApplicationBuilder UseRequestSpanTags(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                activity.SetTag("http.request.method", context.Request.Method);
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                    activity.DisplayName = context.Request.Method + " " + route;
                }
                if (context.Response.StatusCode >= 500) activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    });
}

/// <summary>Owns the providers; the container disposes it at shutdown, which flushes the exporters.</summary>
public sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IDisposable
{
    public void Dispose()
    {
        tracer?.Dispose();
        meter?.Dispose();
    }
}
