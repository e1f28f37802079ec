namespace Telephony.Core.Fleet;

/// <summary>A PBX a fleet bridge may serve, with its sealed client secret and its lease (all null when never leased).</summary>
public sealed class FleetPbxRow
{
    public string TenantId { get; init; } = "";
    public string PbxId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Host { get; init; } = "";
    public int? Port { get; init; }
    public string? ApiVersion { get; init; }
    public string? ClientId { get; init; }
    public byte[]? ClientSecret { get; init; }
    public string? TlsFingerprint { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public string? LeaseHolder { get; init; }
    public long? LeaseEpoch { get; init; }
    public DateTime? LeaseExpiresAt { get; init; }
}
