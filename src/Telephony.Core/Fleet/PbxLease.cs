namespace Telephony.Core.Fleet;

/// <summary>A PBX's lease as stored: <see cref="Holder"/> is null once released; <see cref="Epoch"/> only grows.</summary>
public sealed class PbxLease
{
    public string TenantId { get; init; } = "";
    public string PbxId { get; init; } = "";
    public string? Holder { get; init; }
    public long Epoch { get; init; }
    public DateTime ExpiresAt { get; init; }
}
