using Telephony.Core.Fleet;

namespace Telephony.Api.Fleet;

/// <summary>A PBX's lease: <see cref="Holder"/> is null once released; post under <see cref="Epoch"/> while it lasts.</summary>
internal sealed record LeaseDto(string TenantId, string PbxId, string? Holder, long Epoch, DateTimeOffset ExpiresAt)
{
    public static LeaseDto From(PbxLease lease) => new(lease.TenantId, lease.PbxId, lease.Holder, lease.Epoch, Utc(lease.ExpiresAt));

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
