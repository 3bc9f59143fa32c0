using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PushConsole.Sending;
using PushConsole.Shared;
using Scalar.AspNetCore;

namespace PushConsole.Operations;

/// <summary>/health (and its live/ready probes), /metrics, the OpenAPI document and its browsable reference.</summary>
public static class OperationsRegistration
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PushConsole API";
            document.Info.Description = "Client API (X-App-Key) for apps on devices, server API (Basic appKey:masterSecret, EngageLab v4 shape) for back-ends.";
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>(ReadinessCheck.Name);
        builder.Services.AddHostedService<NativeHeapTrimmer>();
        builder.Services.AddSingleton<Backup>();
        builder.Services.AddSingleton<PostgresCopy>();
        builder.AddMetrics();
        return builder;
    }

    /// <summary>
    /// Every stream preallocates its points: OpenTelemetry's default of 2,000 made 55–61 arrays of 144 KB (≈ 8 MB of the
    /// heap, all of it in the large-object heap). Our instruments carry tens to a few hundred series; beyond the limit
    /// they are summed into one <c>otel.metric.overflow</c> point, never lost.
    /// </summary>
    public const int CardinalityLimit = 500;
    private static readonly MetricStreamConfiguration OwnStream = new() { CardinalityLimit = CardinalityLimit };

    private static void AddMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OtlpOptions>().BindConfiguration(OtlpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MetricsOptions>>().Value.Networks());
        services.AddHostedService<OutboxGauges>();
        var otlp = builder.Configuration.GetSection(OtlpOptions.Section).Get<OtlpOptions>()?.Endpoint;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("pushconsole"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PushMetrics.MeterName, StageCpu.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                // meters are matched by name process-wide: leave out those another host in this process made (the demo's sandbox)
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, provider) =>
                {
                    var own = sp.GetRequiredService<IMeterFactory>();
                    provider.AddView(i => i.Meter.Scope is null || ReferenceEquals(i.Meter.Scope, own) ? OwnStream : MetricStreamConfiguration.Drop);
                });
                if (!string.IsNullOrWhiteSpace(otlp) && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
                    metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
            });
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Name != ReadinessCheck.Name, ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        // liveness: the process answers (no check runs); readiness: what serving and sending need
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = ReadinessCheck.IsReadiness, ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/metrics"), metrics => metrics.Use(async (context, next) =>
        {
            if (!context.RequestServices.GetRequiredService<MetricsNetworks>().Allows(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("/metrics is open to the networks in Metrics:AllowedNetworks only (loopback by default).");
                return;
            }
            await next();
        }));
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("PushConsole API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }, JsonSerializerOptions.Web));
    }
}
