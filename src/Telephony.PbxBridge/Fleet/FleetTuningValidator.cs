using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// In fleet mode the per-link settings that are not a PBX's connection (YEASTAR_HEARTBEAT_INTERVAL, YEASTAR_TOPICS,
/// YEASTAR_AUTH_RETRY_SECONDS, YEASTAR_CDR_SWEEP_SECONDS, BRIDGE_SPOOL_MAX_BYTES, YEASTAR_PUSH_ALLOWED_IPS) apply to
/// every PBX. They are checked at start-up with the single-PBX rules, on a PBX that stands in for the real ones, so a bad
/// value stops the bridge with the same message rather than every PBX failing later.
/// </summary>
internal sealed class FleetTuningValidator(IOptions<PbxBridgeOptions> tuning) : IValidateOptions<FleetBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetBridgeOptions options)
    {
        var probe = FleetUnitOptions.Create(tuning.Value, options, new FleetPbx
        {
            TenantId = "probe",
            PbxId = "probe",
            Kind = "p-series",
            Host = "pbx.invalid",
            ClientId = "probe",
            ClientSecret = "probe",
        });

        // What FleetBridgeOptionsValidator checks is left out here, so a bad value is reported once.
        probe.TelephonyApiUrl = "http://api.invalid";
        probe.TelephonyBridgeKey = "probe";
        probe.BridgeId = "probe";
        probe.BridgePublicUrl = null;

        return new PbxBridgeOptionsValidator().Validate(name, probe);
    }
}
