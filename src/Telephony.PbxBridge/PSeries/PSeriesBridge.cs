using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.PSeries;

/// <summary>Wires the P-Series mode (the Open API and its WebSocket, YEASTAR_API_VERSION=v1.0) into one PBX's link.</summary>
internal static class PSeriesBridge
{
    public static void AddServices(IServiceCollection services)
    {
        // Yeastar Open API client: User-Agent on every request (A1); POSTs (get_token) are never retried by the
        // handler — a retried login can count towards the PBX's 5-failures IP block; the worker owns that backoff.
        services.AddHttpClient(PSeriesClient.HttpClientName, (sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<PbxBridgeOptions>>().Value.GetYeastarBaseUri();
                http.DefaultRequestHeaders.UserAgent.ParseAdd("OpenAPI");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PbxCertificatePolicy>().CreateHandler())
            .RedactLoggedHeaders(_ => true)
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());

        // The token owner, one WebSocket session at a time and the reconnect loop.
        services.AddSingleton<PSeriesTokenClient>();
        services.AddSingleton<PSeriesSession>();
        services.AddSingleton<IPbxLink, PSeriesLink>();

        // Open API calls: commands, and the catch-up after each subscribe (extensions, CDR backfill, live calls).
        services.AddSingleton<PSeriesApiCaller>();
        services.AddSingleton<IPbxCommands, PSeriesCommands>();
        services.AddSingleton<IExtensionSync, PSeriesExtensionSync>();
        services.AddSingleton<ICdrBackfill, PSeriesCdrBackfill>();
        services.AddSingleton<PSeriesActiveCallSync>();
    }
}
