namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// The lease a fleet unit works under: every call it makes to the API names it (<see cref="FleetLeaseHandler"/>). Once
/// lost — the API answered 409, or a renewal was refused — it stays lost, and <paramref name="lost"/> tells the
/// supervisor to stop the unit.
/// </summary>
internal sealed class FleetUnitLease(FleetPbxKey pbx, string bridgeId, long epoch, Action<FleetUnitLease> lost)
{
    private int _lost;

    public FleetPbxKey Pbx { get; } = pbx;

    public string BridgeId { get; } = bridgeId;

    public long Epoch { get; } = epoch;

    public bool IsLost => Volatile.Read(ref _lost) == 1;

    public void MarkLost()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            lost(this);
        }
    }
}
