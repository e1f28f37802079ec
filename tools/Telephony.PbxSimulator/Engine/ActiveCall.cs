using System.Text.Json.Nodes;

namespace Telephony.PbxSimulator.Engine;

// A call in progress. Mutated only under the engine lock, except the hang-up token.
internal sealed class ActiveCall : IDisposable
{
    public ActiveCall(string id, string direction, string from, string to, DateTimeOffset startedAt, CancellationToken stopping)
    {
        Id = id;
        Direction = direction;
        From = from;
        To = to;
        StartedAt = startedAt;
        HangupSource = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public string Id { get; }

    // inbound, outbound or internal.
    public string Direction { get; }

    public string From { get; }

    // CDR call_to; the answering extension replaces a ring-group or queue number once answered.
    public string To { get; set; }

    public DateTimeOffset StartedAt { get; }

    public List<CallMember> Members { get; } = [];

    public HashSet<string> ReservedExtensions { get; } = new(StringComparer.Ordinal);

    // Simulated time spent so far, accumulated from planned or interrupted waits.
    public TimeSpan Elapsed { get; set; }

    public TimeSpan? AnsweredAfter { get; set; }

    public string? AnsweredBy { get; set; }

    // Queue number when the call entered a queue, otherwise null.
    public string? Queue { get; init; }

    // Queue agents whose ringing timed out on this call (30026), in order.
    public List<string> MissedByAgents { get; } = [];

    public bool IsFinished { get; set; }

    // The PBX records this call (it gets a recording once answered).
    public bool Record { get; init; }

    public CancellationTokenSource HangupSource { get; }

    // Member whose channel was hung up through call/hangup.
    public CallMember? HangupMember { get; set; }

    public string CdrType => Direction switch
    {
        "inbound" => "Inbound",
        "outbound" => "Outbound",
        _ => "Internal",
    };

    public JsonObject Snapshot() => new()
    {
        ["call_id"] = Id,
        ["members"] = new JsonArray([.. Members.Select(m => (JsonNode)m.ToJson())]),
    };

    public void Dispose() => HangupSource.Dispose();
}
