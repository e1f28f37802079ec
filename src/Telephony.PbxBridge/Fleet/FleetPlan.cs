namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// One pass's decisions: leases to try for, held PBXs to give up (gone from the listing, or no longer servable),
/// held PBXs whose connection changed (restart the unit with the new settings, keeping the lease), and held PBXs to hand
/// over to other bridges because this one holds more than its fair share.
/// </summary>
internal sealed record FleetPlan(
    IReadOnlyList<FleetPbxKey> Acquire,
    IReadOnlyList<FleetPbxKey> Release,
    IReadOnlyList<FleetPbxKey> Restart,
    int LiveBridges,
    int FairShare,
    IReadOnlyList<FleetPbxKey> HandOver);
