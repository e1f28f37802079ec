namespace Telephony.Core.Tenancy;

/// <summary>Who a presented key belongs to. A bridge key is bound to one PBX; a fleet key belongs to no tenant.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, string? TenantId, ApiKeyRole Role, string? PbxId);
