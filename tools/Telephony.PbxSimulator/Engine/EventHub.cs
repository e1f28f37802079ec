using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.Engine;

// Broadcasts event frames to every WebSocket subscribed to the event's topic.
internal sealed class EventHub
{
    private readonly ConcurrentDictionary<long, WebSocketSession> _sessions = new();
    private readonly string _serialNumber;

    public EventHub(string serialNumber) => _serialNumber = serialNumber;

    public int ActiveSocketCount => _sessions.Count;

    // Sees every published (type, msg) before the WebSocket fan-out; called under the call engine's lock.
    public Action<int, JsonObject>? Observer { get; set; }

    public void Add(WebSocketSession session) => _sessions[session.Id] = session;

    public void Remove(WebSocketSession session) => _sessions.TryRemove(session.Id, out _);

    public void AbortAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Abort();
        }
    }

    // Sends {type, sn, msg}. A5: msg is a JSON-encoded string for 30005–30024 and an object for
    // 30025/30026/30029/30034–30036; sn is absent for 30022/30023/30025/30026.
    public void Publish(int type, JsonObject msg)
    {
        // S-Series mode: the same events, translated and pushed over HTTP (SSeries/SSeriesEventPusher).
        Observer?.Invoke(type, msg);

        var frame = new JsonObject { ["type"] = type };
        if (type is not (30022 or 30023 or 30025 or 30026))
        {
            frame["sn"] = _serialNumber;
        }

        frame["msg"] = type is 30025 or 30026 or 30029 or (>= 30034 and <= 30036)
            ? msg
            : JsonValue.Create(PbxJson.Serialize(msg));

        var text = PbxJson.Serialize(frame);
        foreach (var session in _sessions.Values)
        {
            if (session.IsSubscribed(type))
            {
                session.Enqueue(text);
            }
        }
    }
}
