namespace Telephony.Core.Tenancy;

/// <summary>A tenant's PBX: what the bridge for it needs to be understood (zone and date order for CDR times, region for numbers).</summary>
public sealed class PbxRecord
{
    public string TenantId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "p-series";
    public string TimeZone { get; init; } = "UTC";
    public string DefaultRegion { get; init; } = "RU";

    /// <summary>The PBX's date display setting as written on its web page (<c>DD/MM/YYYY</c>); null when not set.</summary>
    public string? DateFormat { get; init; }
    public bool Connected { get; init; }
    public string? LinkReason { get; init; }
    public DateTime? LinkChangedAt { get; init; }

    /// <summary>Where a fleet bridge reaches the PBX (host name or address); null when no fleet bridge serves it.</summary>
    public string? Host { get; init; }
    public int? Port { get; init; }

    /// <summary><c>v1.0</c> (P-Series Open API) or <c>v2.0.0</c> (S-Series API).</summary>
    public string? ApiVersion { get; init; }
    public string? ClientId { get; init; }

    /// <summary>Whether a client secret is stored; the secret itself never leaves the repository in a record.</summary>
    public bool HasClientSecret { get; init; }

    /// <summary>SHA-256 of the PBX's certificate, upper-case hex without colons; null when its certificate is publicly trusted.</summary>
    public string? TlsFingerprint { get; init; }
}
