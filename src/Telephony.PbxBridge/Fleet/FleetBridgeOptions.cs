using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// A fleet bridge's own settings (TELEPHONY_FLEET_KEY and friends); each PBX's connection comes from the API's fleet
/// listing instead of YEASTAR_*. <see cref="PbxBridgeApp"/> maps the environment variables onto this section.
/// </summary>
internal sealed class FleetBridgeOptions : IValidatableObject
{
    public const string SectionName = "FleetBridge";

    /// <summary>TELEPHONY_FLEET_KEY: a platform key with the fleet role (made with the bootstrap admin key); never logged.</summary>
    [Required(ErrorMessage = "TELEPHONY_FLEET_KEY (a fleet key made with POST /api/admin/fleet-keys) is required in fleet mode.")]
    public string FleetKey { get; set; } = "";

    /// <summary>TELEPHONY_API_URL: base URL of Telephony.Api.</summary>
    [Required(ErrorMessage = "TELEPHONY_API_URL is required in fleet mode, e.g. https://telephony.example.com.")]
    public string TelephonyApiUrl { get; set; } = "";

    /// <summary>
    /// BRIDGE_ID: the lease holder's name; it must differ between fleet bridges, so the default adds a random part to the
    /// machine name (a restarted bridge is a new holder: its old leases expire rather than being mistaken for its own).
    /// </summary>
    [Required]
    [StringLength(128, MinimumLength = 1, ErrorMessage = "BRIDGE_ID must be 1-128 characters.")]
    public string BridgeId { get; set; } = $"{Environment.MachineName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>BRIDGE_DATA_DIR: each PBX spools and keeps its CDR mark in {this}/{tenant}/{pbx}; default .data/bridge/fleet.</summary>
    public string? DataDir { get; set; }

    /// <summary>BRIDGE_PUBLIC_URL: how S-Series PBXs reach this bridge; each gets its own push URL under it.</summary>
    public string? BridgePublicUrl { get; set; }

    /// <summary>The single-PBX variables that were set too (filled by <see cref="PbxBridgeApp"/>); fleet mode refuses them.</summary>
    public string? SinglePbxSettings { get; set; }

    public Uri GetTelephonyApiBaseUri()
    {
        var uri = new Uri(TelephonyApiUrl.Trim(), UriKind.Absolute);
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    public string GetDataDirectory() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(DataDir) ? Path.Combine(".data", "bridge", "fleet") : DataDir);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(SinglePbxSettings))
        {
            yield return new ValidationResult(
                $"TELEPHONY_FLEET_KEY runs the bridge in fleet mode, where every PBX's connection comes from the API; {SinglePbxSettings} "
                + "configure a single PBX. Remove them, or remove TELEPHONY_FLEET_KEY to run a bridge for one PBX.",
                [nameof(SinglePbxSettings)]);
        }

        if (!string.IsNullOrWhiteSpace(TelephonyApiUrl)
            && !(Uri.TryCreate(TelephonyApiUrl.Trim(), UriKind.Absolute, out var api) && api.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("TELEPHONY_API_URL must be an absolute http(s) URL.", [nameof(TelephonyApiUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(BridgePublicUrl)
            && !(Uri.TryCreate(BridgePublicUrl.Trim(), UriKind.Absolute, out var own) && own.Scheme is "http" or "https"))
        {
            yield return new ValidationResult(
                "BRIDGE_PUBLIC_URL must be an absolute http URL the PBXs can reach, such as http://bridge.example.com:3009.", [nameof(BridgePublicUrl)]);
        }
    }
}
