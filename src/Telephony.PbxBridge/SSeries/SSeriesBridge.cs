using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.SSeries;

/// <summary>Wires the S-Series mode (YEASTAR_API_VERSION=v2.0.0) into the bridge host in place of the P-Series WebSocket worker.</summary>
internal static class SSeriesBridge
{
    public static bool IsEnabled(IConfiguration configuration) =>
        PbxBridgeOptions.IsSSeriesVersion(configuration[$"{PbxBridgeOptions.SectionName}:{nameof(PbxBridgeOptions.YeastarApiVersion)}"]);

    public static void AddServices(IServiceCollection services)
    {
        // Every S-Series call is a POST (B1), so the standard handler never retries one: a retried login could count
        // towards the 5-failures lock (B2); the worker owns that backoff.
        services.AddHttpClient(SSeriesClient.HttpClientName, (sp, http) =>
                http.BaseAddress = sp.GetRequiredService<IOptions<PbxBridgeOptions>>().Value.GetYeastarBaseUri())
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PbxCertificatePolicy>().CreateHandler())
            .RedactLoggedHeaders(_ => true)
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());

        // The event path holds the push secret, and these categories log request paths (Information, Debug): they stay
        // at Warning in S-Series mode whatever the configured levels, so an operator's Debug logging cannot leak it.
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Warning));
        services.AddSingleton<SSeriesPushSecret>();
        services.AddSingleton<SSeriesPushSources>();
        services.AddSingleton<SSeriesPushGuard>();
        services.AddSingleton<SSeriesSession>();
        services.AddSingleton<ICdrBackfill, SSeriesCdrBackfill>();
        services.AddSingleton<IExtensionSync, SSeriesExtensionSync>();
        services.AddSingleton<IPbxCommands, SSeriesCommands>();
        services.AddSingleton<IPbxLink, SSeriesLink>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(SSeriesEventListener.Route, SSeriesEventListener.ReceiveAsync);
}
