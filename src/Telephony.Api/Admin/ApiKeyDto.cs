using Telephony.Core.Tenancy;

namespace Telephony.Api.Admin;

/// <summary>A key as listed: <see cref="Key"/> is set only in the response that created it, never again.</summary>
internal sealed record ApiKeyDto(Guid Id, string Role, string? PbxId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Key = null)
{
    public static ApiKeyDto From(ApiKeyRecord k) => new(
        k.Id, k.Role, k.PbxId, k.Name,
        new DateTimeOffset(DateTime.SpecifyKind(k.CreatedAt, DateTimeKind.Utc)),
        k.RevokedAt is { } r ? new DateTimeOffset(DateTime.SpecifyKind(r, DateTimeKind.Utc)) : null);
}
