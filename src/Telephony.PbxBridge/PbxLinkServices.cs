using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;
using Telephony.PbxBridge.PSeries;
using Telephony.PbxBridge.SSeries;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge;

/// <summary>
/// Everything one PBX's link is made of — token, WebSocket or S-Series listener, spool and forwarder, CDR mark and
/// backfill, reconciliation, command poll, recording archive, login guard, TLS pin, link status — registered once here. A single-PBX bridge
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

        // Telephony.Api: the one typed client (events, link status, command poll and results, extensions, active calls).
        services.AddTelephonyApiClient(configureApiClient);

        // Link status, the login guard, and the spool towards the API.
        services.AddSingleton<PbxLinkStatus>();
        services.AddSingleton<LoginGuard>();
        services.AddSingleton<FrameSpool>();
        services.AddSingleton<ApiForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiForwarder>());

        // Exactly one family per PBX: the P-Series WebSocket, or (YEASTAR_API_VERSION=v2.0.0) S-Series login +
        // heartbeat + an HTTP event listener. The worker that runs the family's link is registered after the forwarder,
        // so it stops first and the forwarder can still report the link down.
        if (sSeries)
        {
            SSeriesBridge.AddServices(services);
        }
        else
        {
            PSeriesBridge.AddServices(services);
        }

        services.AddHostedService<PbxConnectionWorker>();

        // Catch-up state both families feed, and the command long poll (through the family's IPbxCommands).
        services.AddSingleton<LiveCallTracker>();
        services.AddSingleton<CdrWatermark>();
        services.AddHostedService<PbxCommandPoller>();

        // Call recordings: fetched from the PBX and uploaded to the API, with their own transfer clients.
        Recordings.RecordingServices.Add(services, sSeries);
    }
}
