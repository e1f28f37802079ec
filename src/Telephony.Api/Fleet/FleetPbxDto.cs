using System.ComponentModel;

namespace Telephony.Api.Fleet;

/// <summary>A PBX a fleet bridge may serve, with its clear client secret: only ever sent to fleet keys.</summary>
internal sealed record FleetPbxDto(
    string TenantId,
    string PbxId,
    string Kind,
    string Host,
    int? Port,
    string? ApiVersion,
    string? ClientId,
    [property: Description("The clear client secret; null when none is stored or no configured key opens it (see problem).")] string? ClientSecret,
    string? TlsFingerprint,
    string TimeZone,
    [property: Description("The current lease; null when the PBX was never leased.")] LeaseDto? Lease,
    [property: Description("Why this PBX cannot be served as it is (its secret is unreadable); null when it can.")] string? Problem);
