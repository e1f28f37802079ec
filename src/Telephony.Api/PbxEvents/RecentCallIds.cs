namespace Telephony.Api.PbxEvents;

/// <summary>
/// The call ids a PBX's ingest grain saw last, at most <see cref="Capacity"/>, the oldest forgotten first. It tells a
/// call's later frames from a new call's first one without asking the call grain. Only a saving: the call grain tells
/// for sure (it reads the stored call). Small, because a PBX grain lives for every PBX of every tenant; a restaurant
/// has a few calls at a time, and a call's frames come within minutes.
/// </summary>
internal sealed class RecentCallIds
{
    public const int Capacity = 256;

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
