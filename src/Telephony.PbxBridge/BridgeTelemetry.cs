using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge;

/// <summary>
/// OpenTelemetry for the bridge over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: the span of each batch posted
/// to the API (the API's spans continue its trace), HttpClient spans, the spool, link and refused-push meters, logs.
/// Nothing is collected otherwise (<c>Telemetry:Collect=true</c> collects for an exporter added in code, as tests do).
/// </summary>
internal static class BridgeTelemetry
{
    /// <summary>The bridge's trace source and meter.</summary>
    public const string Name = FrameSpool.MeterName;

    public const string ServiceName = "telephony-bridge";

    public static readonly ActivitySource Source = new(Name);

    public static void Add(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!configuration.GetValue("Telemetry:Collect", otlp))
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName, serviceInstanceId: configuration["BRIDGE_ID"]))
            .WithTracing(tracing => tracing.AddSource(Name).AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(Name).AddHttpClientInstrumentation())
            .WithLogging();
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
    }
}
