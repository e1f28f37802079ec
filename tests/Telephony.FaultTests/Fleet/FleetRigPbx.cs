namespace Telephony.FaultTests.Fleet;

/// <summary>One simulated PBX of a fleet scenario: the tenant's PBX record it is stored as, its simulator and its traffic.</summary>
public sealed record FleetRigPbx(string TenantId, string PbxId, string Kind, PbxSimulator.PbxSimulator Pbx, CallDriver Driver)
{
    public bool IsSSeries => Kind == "s-series";

    public override string ToString() => $"{TenantId}/{PbxId} ({Kind})";
}
