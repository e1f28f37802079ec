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
}
