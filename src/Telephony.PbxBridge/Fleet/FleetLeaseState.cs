namespace Telephony.PbxBridge.Fleet;

/// <summary>A PBX's lease as the API reports it: <see cref="Holder"/> is null once released; expired when <see cref="ExpiresAt"/> has passed.</summary>
internal sealed record FleetLeaseState(string TenantId, string PbxId, string? Holder, long Epoch, DateTimeOffset ExpiresAt);
