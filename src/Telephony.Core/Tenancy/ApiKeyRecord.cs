namespace Telephony.Core.Tenancy;

/// <summary>A key as listed to its tenant's admin: never the key itself, never its hash.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; init; }
    /// <summary>Null for a fleet key, which belongs to the platform.</summary>
    public string? TenantId { get; init; }
    public string Role { get; init; } = "";
    public string? PbxId { get; init; }
    public string Name { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}
