using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Admin;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PutPbxRequest
{
    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    /// <summary><c>p-series</c> (Open API v1.0 over WebSocket) or <c>s-series</c> (API v2.0.0 over HTTP).</summary>
    [Required, RegularExpression("^(p-series|s-series)$", ErrorMessage = "kind must be p-series or s-series.")]
    public string? Kind { get; init; }

    /// <summary>IANA zone of the PBX clock: CDR times are PBX-local.</summary>
    [Required]
    public string? TimeZone { get; init; }

    /// <summary>ISO 3166 region used to read national numbers (RU reads 8 999 … as +7 999 …).</summary>
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "defaultRegion must be a two-letter ISO 3166 code such as RU.")]
    public string? DefaultRegion { get; init; }

    /// <summary>
    /// The PBX's date display setting, <c>MM/DD/YYYY</c>, <c>DD/MM/YYYY</c> or <c>YYYY/MM/DD</c>: CDR rows without a Unix
    /// timestamp write their time in it. Leave it out and only times that read one way (18/10/2025) are taken.
    /// </summary>
    public string? DateFormat { get; init; }

    [StringLength(253)]
    [Description("Where a fleet bridge reaches the PBX: a host name or IP address, without scheme or port (HTTPS is assumed). Leave out for a PBX served by its own site bridge; a fleet bridge serves only PBXs with a host.")]
    public string? Host { get; init; }

    [Range(1, 65535, ErrorMessage = "port must be between 1 and 65535.")]
    [Description("The PBX's API port; leave out for the bridge's default (8088). Needs host.")]
    public int? Port { get; init; }

    [RegularExpression("^(v1\\.0|v2\\.0\\.0)$", ErrorMessage = "apiVersion must be v1.0 (P-Series) or v2.0.0 (S-Series).")]
    [Description("v1.0 (P-Series Open API) or v2.0.0 (S-Series API), matching kind; leave out to take the one kind implies. Needs host.")]
    public string? ApiVersion { get; init; }

    [StringLength(200)]
    [Description("The PBX API application's client id (P-Series: the Open API username). Required with host.")]
    public string? ClientId { get; init; }

    [StringLength(512)]
    [Description("Write-only: the API application's client secret, stored encrypted and never returned (the PBX shows hasClientSecret). Leave out or null to keep the stored one; an empty string removes it. Needs host, and a server with TELEPHONY_SECRETS_KEY (503 otherwise).")]
    public string? ClientSecret { get; init; }

    [Description("SHA-256 fingerprint of the PBX's self-signed certificate, 64 hex digits, colons optional; pins it. Leave out when a public CA signed it. Needs host.")]
    public string? TlsFingerprint { get; init; }
}
