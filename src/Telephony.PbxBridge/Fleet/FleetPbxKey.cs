namespace Telephony.PbxBridge.Fleet;

/// <summary>Which PBX: ids are unique within a tenant only.</summary>
internal readonly record struct FleetPbxKey(string TenantId, string PbxId)
{
    public override string ToString() => $"{TenantId}/{PbxId}";
}
