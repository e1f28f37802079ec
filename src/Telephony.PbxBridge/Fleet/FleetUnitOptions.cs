using System.Text.RegularExpressions;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// One PBX's <see cref="PbxBridgeOptions"/> in fleet mode: its connection from the fleet listing, the fleet-wide tuning
/// from the bridge's own settings, the fleet key as the API key, and a data folder of its own.
/// </summary>
internal static partial class FleetUnitOptions
{
    /// <summary>A1: HTTPS is served on 8088 unless the PBX record says otherwise.</summary>
    public const int DefaultPort = 8088;

    /// <summary>
    /// A unit's first backfill follows a takeover: it reaches back 24 h (no CDR mark in this bridge's folder, or an older
    /// one) and, as nothing yet shows how far the PBX's clock runs ahead of ours, as far forward. Duplicates are fine: the
    /// API dedupes CDRs by call id.
    /// </summary>
    public static readonly TimeSpan FirstBackfillLookAhead = TimeSpan.FromHours(24);

    public static PbxBridgeOptions Create(PbxBridgeOptions tuning, FleetBridgeOptions fleet, FleetPbx pbx) => new()
    {
        // The API stores a bare host (HTTPS assumed, as GetYeastarBaseUri does); an IPv6 literal needs its brackets.
        YeastarHost = pbx.Host.Contains(':', StringComparison.Ordinal) && !pbx.Host.StartsWith('[') ? $"[{pbx.Host}]" : pbx.Host,
        YeastarPort = pbx.Port ?? DefaultPort,
        YeastarUsername = pbx.ClientId ?? "",
        YeastarPassword = pbx.ClientSecret ?? "",
        YeastarApiVersion = pbx.IsSSeries ? "v2.0.0" : "v1.0",
        YeastarTlsFingerprint = string.IsNullOrWhiteSpace(pbx.TlsFingerprint) ? null : pbx.TlsFingerprint,
        YeastarTimezone = pbx.TimeZone,
        YeastarHeartbeatInterval = tuning.YeastarHeartbeatInterval,
        YeastarTopics = tuning.YeastarTopics,
        YeastarAuthRetrySeconds = tuning.YeastarAuthRetrySeconds,
        YeastarCdrSweepSeconds = tuning.YeastarCdrSweepSeconds,
        RecordingPollSeconds = tuning.RecordingPollSeconds,
        YeastarPushAllowedIps = tuning.YeastarPushAllowedIps,
        SpoolMaxBytes = tuning.SpoolMaxBytes,
        FirstBackfillLookAhead = FirstBackfillLookAhead,
        TelephonyApiUrl = fleet.TelephonyApiUrl,
        TelephonyBridgeKey = fleet.FleetKey,
        TelephonyPbxId = pbx.PbxId,
        BridgeId = fleet.BridgeId,
        BridgePublicUrl = fleet.BridgePublicUrl,
        DataDir = IsSafeFolderName(pbx.TenantId) && IsSafeFolderName(pbx.PbxId)
            ? Path.Combine(fleet.GetDataDirectory(), pbx.TenantId, pbx.PbxId)
            : null,
    };

    /// <summary>
    /// Why this PBX cannot be served as listed, or null when it can. Checked before its lease is taken, so a PBX nobody
    /// can serve is left free rather than held by a bridge that only fails at it.
    /// </summary>
    public static string? Unservable(PbxBridgeOptions tuning, FleetBridgeOptions fleet, FleetPbx pbx)
    {
        if (pbx.Problem is { Length: > 0 } problem)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(pbx.ClientId) || string.IsNullOrEmpty(pbx.ClientSecret))
        {
            return "it has no client id or client secret";
        }

        // Ids become folder names: "." or "..", or a path separator, would reach outside BRIDGE_DATA_DIR.
        if (!IsSafeFolderName(pbx.TenantId) || !IsSafeFolderName(pbx.PbxId))
        {
            return "its tenant or PBX id cannot name a folder";
        }

        var result = new PbxBridgeOptionsValidator().Validate(null, Create(tuning, fleet, pbx));
        return result.Failed ? result.FailureMessage : null;
    }

    public static bool IsSafeFolderName(string id) => SafeFolderName().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SafeFolderName();
}
