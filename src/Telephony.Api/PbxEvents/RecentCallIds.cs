namespace Telephony.Api.PbxEvents;

/// <summary>
/// The call ids a PBX's ingest grain saw last, at most <see cref="Capacity"/>, the oldest forgotten first. It tells a
/// call's later frames from a new call's first one without asking the call grain.
/// </summary>
internal sealed class RecentCallIds
{
    public const int Capacity = 4096;

    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string callId) => _ids.Contains(callId);

    public void Add(string callId)
    {
        if (!_ids.Add(callId))
        {
            return;
        }

        _order.Enqueue(callId);
        if (_order.Count > Capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
    }
}
