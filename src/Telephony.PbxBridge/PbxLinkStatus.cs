using System.Threading.Channels;

namespace Telephony.PbxBridge;

/// <summary>Whether the PBX WebSocket is up; read by /health/ready and reported to the API by <see cref="ApiForwarder"/>.</summary>
internal sealed class PbxLinkStatus(TimeProvider time)
{
    private readonly Lock gate = new();

    // Capacity 1 + DropOldest: a reader only needs to know "something changed", then reads the latest state.
    private readonly Channel<bool> changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private PbxLinkSnapshot snapshot = new(false, "Bridge starting", null);

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
