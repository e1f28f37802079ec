namespace Telephony.PbxBridge.Fleet;

/// <summary>A lease the supervisor holds, and the unit serving it (set and cleared only by the PBX's lifecycle tasks).</summary>
internal sealed class FleetSlot(FleetPbx pbx, FleetUnitLease lease, DateTimeOffset renewedAt)
{
    public FleetPbx Pbx { get; set; } = pbx;

    public FleetUnitLease Lease { get; } = lease;

    public string ConnectionVersion { get; set; } = pbx.ConnectionVersion();

    /// <summary>When the last acquire or renewal that the API granted was sent: the lease lasts at least its TTL from then.</summary>
    public DateTimeOffset RenewedAt { get; set; } = renewedAt;

    public FleetUnit? Unit { get; set; }
}
