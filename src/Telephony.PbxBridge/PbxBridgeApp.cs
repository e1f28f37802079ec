using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge;

/// <summary>Builds the bridge host; used by <see cref="Program"/> and by tests that run the bridge in-process.</summary>
public static class PbxBridgeApp
{
    private const string DefaultUrls = "http://127.0.0.1:3009";

    // The documented environment variable names (design.md §7) → PbxBridgeOptions properties.
    private static readonly (string Key, string Property)[] SettingKeys =
    [
        ("YEASTAR_HOST", nameof(PbxBridgeOptions.YeastarHost)),
        ("YEASTAR_PORT", nameof(PbxBridgeOptions.YeastarPort)),
        ("YEASTAR_USERNAME", nameof(PbxBridgeOptions.YeastarUsername)),
        ("YEASTAR_PASSWORD", nameof(PbxBridgeOptions.YeastarPassword)),
        ("YEASTAR_HEARTBEAT_INTERVAL", nameof(PbxBridgeOptions.YeastarHeartbeatInterval)),
        ("YEASTAR_TOPICS", nameof(PbxBridgeOptions.YeastarTopics)),
        ("YEASTAR_AUTH_RETRY_SECONDS", nameof(PbxBridgeOptions.YeastarAuthRetrySeconds)),
        ("YEASTAR_CDR_SWEEP_SECONDS", nameof(PbxBridgeOptions.YeastarCdrSweepSeconds)),
        ("BRIDGE_RECORDING_POLL_SECONDS", nameof(PbxBridgeOptions.RecordingPollSeconds)),
        ("YEASTAR_TIMEZONE", nameof(PbxBridgeOptions.YeastarTimezone)),
        ("BRIDGE_DATA_DIR", nameof(PbxBridgeOptions.DataDir)),
        ("TELEPHONY_API_URL", nameof(PbxBridgeOptions.TelephonyApiUrl)),
        ("TELEPHONY_BRIDGE_KEY", nameof(PbxBridgeOptions.TelephonyBridgeKey)),
        ("TELEPHONY_PBX_ID", nameof(PbxBridgeOptions.TelephonyPbxId)),
        ("BRIDGE_ID", nameof(PbxBridgeOptions.BridgeId)),
        ("BRIDGE_SPOOL_MAX_BYTES", nameof(PbxBridgeOptions.SpoolMaxBytes)),
        ("YEASTAR_API_VERSION", nameof(PbxBridgeOptions.YeastarApiVersion)),
        ("BRIDGE_PUBLIC_URL", nameof(PbxBridgeOptions.BridgePublicUrl)),
        ("YEASTAR_TLS_FINGERPRINT", nameof(PbxBridgeOptions.YeastarTlsFingerprint)),
        ("YEASTAR_PUSH_ALLOWED_IPS", nameof(PbxBridgeOptions.YeastarPushAllowedIps)),
    ];

    private static readonly Dictionary<string, string?> DefaultLogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    /// <summary>
    /// Builds the bridge. <paramref name="settings"/> override environment variables and appsettings and use the
    /// same keys as the environment variables (e.g. <c>YEASTAR_HOST</c>, <c>BRIDGE_URLS</c>).
    /// </summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null) =>
        Build(args, settings, configure: null);

    /// <summary>As above; <paramref name="configure"/> runs last, so tests can add a log capture or a fake clock.</summary>
    internal static WebApplication Build(
        string[] args, IReadOnlyDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Quiet defaults below every other source: HttpClient would log each batch and link report at Information.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });

        // Configuration: env/appsettings, then the caller's overrides, then flat env names mapped onto the options section.
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Configuration.AddInMemoryCollection(MapSettingKeys(builder.Configuration));
        builder.WebHost.UseUrls(builder.Configuration["BRIDGE_URLS"] ?? builder.Configuration["urls"] ?? DefaultUrls);

        builder.Services.AddSingleton(TimeProvider.System);
        BridgeTelemetry.Add(builder);

        // Fleet mode (TELEPHONY_FLEET_KEY): the PBXs and their connections come from the API, one link per lease held.
        var fleet = Fleet.FleetBridge.IsEnabled(builder.Configuration);
        var sSeries = !fleet && SSeries.SSeriesBridge.IsEnabled(builder.Configuration);
        if (fleet)
        {
            builder.Configuration.AddInMemoryCollection(Fleet.FleetBridge.MapSettingKeys(builder.Configuration));
            Fleet.FleetBridge.AddServices(builder.Services);

            // Health: live = the process answers; ready = the fleet listing is read (each PBX's link goes to the API).
            builder.Services.AddHealthChecks().AddCheck<Fleet.FleetHealthCheck>("fleet", tags: ["ready"]);
        }
        else
        {
            // Options, validated at start so a missing YEASTAR_HOST or key stops the bridge with a clear message.
            builder.Services.AddOptions<PbxBridgeOptions>()
                .BindConfiguration(PbxBridgeOptions.SectionName)
                .ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<PbxBridgeOptions>, PbxBridgeOptionsValidator>();

            // The PBX link: token, WebSocket or S-Series listener, spool and forwarder, catch-up and the command poll.
            PbxLinkServices.Add(builder.Services, sSeries);

            // Health: live = the process answers; ready = the PBX WebSocket is connected.
            builder.Services.AddHealthChecks().AddCheck<PbxLinkHealthCheck>("pbx-link", tags: ["ready"]);
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        if (fleet)
        {
            Fleet.FleetBridge.MapEndpoints(app);
        }
        else if (sSeries)
        {
            SSeries.SSeriesBridge.MapEndpoints(app);
        }

        return app;
    }

    private static Dictionary<string, string?> MapSettingKeys(ConfigurationManager configuration)
    {
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, property) in SettingKeys)
        {
            if (configuration[key] is { } value)
            {
                mapped[$"{PbxBridgeOptions.SectionName}:{property}"] = value;
            }
        }

        return mapped;
    }
}
