using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Telephony.PbxBridge;

/// <summary>Whether the PBX WebSocket is up; read by /health/ready and reported to the API by <see cref="ApiForwarder"/>.</summary>
internal sealed class PbxLinkStatus
{
    private readonly TimeProvider time;
    private readonly Lock gate = new();

    // Capacity 1 + DropOldest: a reader only needs to know "something changed", then reads the latest state.
    private readonly Channel<bool> changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private PbxLinkSnapshot snapshot = new(false, "Bridge starting", null);

    /// <param name="meters">The bridge's meters (a fleet unit's are tagged with its PBX): the link's up/down gauge.</param>
    public PbxLinkStatus(TimeProvider time, IMeterFactory? meters = null)
    {
        this.time = time;
        meters?.Create(BridgeTelemetry.Name).CreateObservableGauge(
            "telephony.bridge.link.up", () => Current.Connected ? 1 : 0, null, "1 while the PBX link is up, 0 while it is down");
    }

    public PbxLinkSnapshot Current
    {
        get
        {
            lock (gate)
            {
                return snapshot;
            }
        }
    }

    public ChannelReader<bool> Changes => changes.Reader;

    public void SetConnected()
    {
        lock (gate)
        {
            snapshot = new PbxLinkSnapshot(true, null, time.GetUtcNow());
        }

        changes.Writer.TryWrite(true);
    }

    public void SetDisconnected(string reason)
    {
        lock (gate)
        {
            if (!snapshot.Connected && string.Equals(snapshot.Reason, reason, StringComparison.Ordinal))
            {
                return;
            }

            snapshot = new PbxLinkSnapshot(false, reason, snapshot.ConnectedSince);
        }

        changes.Writer.TryWrite(false);
    }
}
