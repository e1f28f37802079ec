using Azure.Monitor.OpenTelemetry.AspNetCore;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Telephony.Api.Telemetry;

/// <summary>
/// OpenTelemetry for the API: traces (ASP.NET Core, HttpClient, Npgsql, grain calls, the pushes), metrics (ours, Orleans',
/// ASP.NET Core's) and logs with their trace ids. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// standard <c>OTEL_*</c> variables then apply) and to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is.
/// With neither nothing is collected at all: an unlistened source creates no spans, which keeps the ingest path as fast
/// as without telemetry. <c>Telemetry:Collect=true</c> collects without an exporter configured here (tests add one).
/// </summary>
internal static class TelemetryHostingExtensions
{
    public const string ServiceName = "telephony-api";

    /// <returns>Whether telemetry is collected (the silo then propagates trace context through grain calls).</returns>
    public static bool AddTelephonyTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var azureMonitor = !string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        if (!configuration.GetValue("Telemetry:Collect", otlp || azureMonitor))
        {
            return false;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName, serviceInstanceId: configuration["ORLEANS_SILO_NAME"]))
            .WithTracing(tracing => tracing
                .AddSource(ApiTelemetry.Name, ActivitySources.ApplicationGrainActivitySourceName)
                // Health probes every few seconds would bury the traces worth reading.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(ApiTelemetry.Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging();
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitor();
        }

        return true;
    }
}
