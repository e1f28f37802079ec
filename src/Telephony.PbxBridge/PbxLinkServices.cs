using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;
using Telephony.PbxBridge.PSeries;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge;

/// <summary>
/// Everything one PBX's link is made of — token, WebSocket or S-Series listener, spool and forwarder, CDR mark and
/// backfill, reconciliation, command poll, login guard, TLS pin, link status — registered once here. A single-PBX bridge
/// adds them to its host; a fleet bridge builds one container of them per PBX it holds the lease of
/// (<see cref="Fleet.FleetUnit"/>), so no PBX shares any of them with another. The caller provides
/// <c>IOptions&lt;PbxBridgeOptions&gt;</c>, <see cref="TimeProvider"/> and logging.
/// </summary>
internal static class PbxLinkServices
{
    /// <param name="sSeries">The PBX speaks S-Series API v2.0.0 (login, heartbeat and pushes) instead of the P-Series WebSocket.</param>
    /// <param name="configureApiClient">Runs first on both clients of Telephony.Api (<see cref="TelephonyApiClient"/> and its long poll), e.g. to add a fleet unit's lease headers.</param>
    public static void Add(IServiceCollection services, bool sSeries, Action<IHttpClientBuilder>? configureApiClient = null)
    {
        services.AddSingleton<PbxCertificatePolicy>();

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

        // Telephony.Api: the one typed client (events, link status, command poll and results, extensions, active calls).
        services.AddTelephonyApiClient(configureApiClient);

        // PBX link: token owner, one session at a time, the reconnect loop, and the spool towards the API.
        services.AddSingleton<PbxLinkStatus>();
        services.AddSingleton<LoginGuard>();
        services.AddSingleton<PSeriesTokenClient>();
        services.AddSingleton<PSeriesSession>();
        services.AddSingleton<FrameSpool>();
        services.AddSingleton<ApiForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiForwarder>());

        // S-Series (YEASTAR_API_VERSION=v2.0.0): login + heartbeat + an HTTP event listener instead of the WebSocket.
        if (sSeries)
        {
            SSeries.SSeriesBridge.AddServices(services);
        }
        else
        {
            services.AddHostedService<PSeriesLinkWorker>();
        }

        // Call control and catch-up: the command long poll, extension sync and CDR backfill after each subscribe.
        services.AddSingleton<PSeriesApiCaller>();
        services.AddSingleton<PSeriesExtensionSync>();
        services.AddSingleton<LiveCallTracker>();
        services.AddSingleton<CdrWatermark>();
        services.AddSingleton<PSeriesCdrBackfill>();
        services.AddSingleton<PSeriesActiveCallSync>();
        services.AddHostedService<PbxCommandPoller>();
    }
}
