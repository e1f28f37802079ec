using System.Diagnostics.Metrics;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Wires fleet mode (TELEPHONY_FLEET_KEY) into the bridge host in place of the one PBX of YEASTAR_*: the supervisor,
/// the fleet API client, the S-Series push route shared by every unit, and the options checks.
/// </summary>
internal static class FleetBridge
{
    public const string FleetKeySetting = "TELEPHONY_FLEET_KEY";

    // The documented environment variable names → FleetBridgeOptions properties.
    private static readonly (string Key, string Property)[] SettingKeys =
    [
        (FleetKeySetting, nameof(FleetBridgeOptions.FleetKey)),
        ("TELEPHONY_API_URL", nameof(FleetBridgeOptions.TelephonyApiUrl)),
        ("BRIDGE_ID", nameof(FleetBridgeOptions.BridgeId)),
        ("BRIDGE_DATA_DIR", nameof(FleetBridgeOptions.DataDir)),
        ("BRIDGE_PUBLIC_URL", nameof(FleetBridgeOptions.BridgePublicUrl)),
    ];

    // What names one PBX: in fleet mode each PBX's own comes from the API, so setting any of these is a mistake.
    private static readonly string[] SinglePbxSettings =
    [
        "YEASTAR_HOST", "YEASTAR_PORT", "YEASTAR_USERNAME", "YEASTAR_PASSWORD", "YEASTAR_API_VERSION", "YEASTAR_TIMEZONE",
        "YEASTAR_TLS_FINGERPRINT", "TELEPHONY_BRIDGE_KEY", "TELEPHONY_PBX_ID",
    ];

    public static bool IsEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[FleetKeySetting]);

    public static Dictionary<string, string?> MapSettingKeys(IConfiguration configuration)
    {
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, property) in SettingKeys)
        {
            if (configuration[key] is { } value)
            {
                mapped[$"{FleetBridgeOptions.SectionName}:{property}"] = value;
            }
        }

        var single = SinglePbxSettings.Where(key => !string.IsNullOrWhiteSpace(configuration[key])).ToList();
        if (single.Count > 0)
        {
            mapped[$"{FleetBridgeOptions.SectionName}:{nameof(FleetBridgeOptions.SinglePbxSettings)}"] = string.Join(", ", single);
        }

        return mapped;
    }

    public static void AddServices(IServiceCollection services)
    {
        services.AddOptions<FleetBridgeOptions>().BindConfiguration(FleetBridgeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetBridgeOptions>, FleetBridgeOptionsValidator>();
        services.AddSingleton<IValidateOptions<FleetBridgeOptions>, FleetTuningValidator>();

        // The tuning every PBX shares (YEASTAR_HEARTBEAT_INTERVAL…); FleetTuningValidator checks it, as the connection
        // fields PbxBridgeOptionsValidator requires are each PBX's own here.
        services.AddOptions<PbxBridgeOptions>().BindConfiguration(PbxBridgeOptions.SectionName);

        // The listing and the leases: the fleet key as a bearer; lease POSTs are not retried by the handler (the
        // supervisor's next pass tries again with what it then knows).
        services.AddHttpClient(FleetApiClient.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<FleetBridgeOptions>>().Value;
                http.BaseAddress = options.GetTelephonyApiBaseUri();
                http.DefaultRequestHeaders.Authorization = new("Bearer", options.FleetKey);
            })
            .RedactLoggedHeaders(_ => true)
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());

        services.AddSingleton<FleetUnitFactory>();
        services.AddSingleton<FleetSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetSupervisor>());
        services.AddSingleton(sp => new SSeriesPushRefusals(
            sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SSeriesPushRefusals>>()));

        // Any unit may be S-Series, and push paths hold secrets: these categories log request paths, so they stay at
        // Warning whatever the configured levels (as in single-PBX S-Series mode).
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Warning));
    }

    public static void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(SSeriesEventListener.Route, FleetPushRoute.ReceiveAsync);
}
