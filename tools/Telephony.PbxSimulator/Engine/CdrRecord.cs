using System.Globalization;
using System.Text.Json.Nodes;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.Engine;

// One CDR, shared by the 30012 event and cdr/search so both always agree (Part C.8). AgentRingTime is A8.2's
// agent_ring_time: seconds from entering a queue to the agent's answer, 0 for calls no queue agent answered.
internal sealed record CdrRecord(
    int Id,
    string CallId,
    DateTimeOffset StartedAt,
    DateTime LocalStart,
    string From,
    string To,
    int CallDuration,
    int RingDuration,
    int TalkDuration,
    string SrcTrunk,
    string DstTrunk,
    string Status,
    string Type,
    string Recording,
    string Uid,
    int AgentRingTime = 0)
{
    // 30012 msg with exactly the fields and order of p-30012-*.json (A8.2).
    public JsonObject ToEventMsg() => new()
    {
        ["call_id"] = CallId,
        ["time_start"] = LocalStart.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["call_from"] = From,
        ["call_to"] = To,
        ["call_duration"] = CallDuration,
        ["talk_duration"] = TalkDuration,
        ["src_trunk_name"] = SrcTrunk,
        ["dst_trunk_name"] = DstTrunk,
        ["pin_code"] = string.Empty,
        ["status"] = Status,
        ["type"] = Type,
        ["recording"] = Recording,
        ["did_number"] = string.Empty,
        ["did_name"] = string.Empty,
        ["agent_ring_time"] = AgentRingTime,
        ["uid"] = Uid,
        ["call_note_id"] = string.Empty,
        ["enb_call_note"] = 1,
    };

    // cdr/search v1 row as p-cdr-search-v1-response.json (A11.1): "Name<number>" parties, the time in the PBX's
    // display format, and the Unix timestamp unless the firmware is one that leaves it out.
    public JsonObject ToSearchRow(Func<string, string> displayName, CdrDisplayFormat display)
    {
        var row = SearchRow(displayName, display);
        if (!display.WithTimestamp)
        {
            row.Remove("timestamp");
        }

        return row;
    }

    private JsonObject SearchRow(Func<string, string> displayName, CdrDisplayFormat display) => new()
    {
        ["id"] = Id,
        ["time"] = display.Format(LocalStart),
        ["call_from"] = $"{displayName(From)}<{From}>",
        ["call_to"] = $"{displayName(To)}<{To}>",
        ["timestamp"] = StartedAt.ToUnixTimeSeconds(),
        ["uid"] = Uid,
        ["src_addr"] = string.Empty,
        ["src_trunk"] = SrcTrunk,
        ["dst_trunk"] = DstTrunk,
        ["duration"] = CallDuration,
        ["ring_duration"] = RingDuration,
        ["talk_duration"] = TalkDuration,
        ["disposition"] = Status,
        ["call_type"] = Type,
        ["did_number"] = string.Empty,
        ["dod_number"] = string.Empty,
        ["record_file"] = Recording,
        ["call_id"] = CallId,
        ["pin_code"] = string.Empty,
        ["call_note_id"] = string.Empty,
        ["enb_call_note"] = 1,
    };
}
