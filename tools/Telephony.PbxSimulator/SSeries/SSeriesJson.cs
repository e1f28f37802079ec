using System.Globalization;
using System.Text.Json.Nodes;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// S-Series API v2.0.0 envelope and event shapes (api.md B1, B3). The call engine speaks P-Series (type, msg); this
// translates each message into the flat S-Series v2 body with the field names of the s-*.json fixtures.
internal static class SSeriesJson
{
    public static JsonObject Success() => new() { ["status"] = "Success" };

    // B1: errors are HTTP 200 {"status":"Failed","errno":"…"} with errno as a string.
    public static JsonObject Failed(int errno) => new() { ["status"] = "Failed", ["errno"] = errno.ToString(CultureInfo.InvariantCulture) };

    // Translates one engine event into its S-Series v2 body, or null when S-Series has no such event.
    public static JsonObject? ToEvent(int type, JsonObject msg, string serialNumber)
    {
        JsonObject? body = type switch
        {
            30011 => WithMembers("CallStatus", msg, withStatus: true),
            30013 => WithMembers("Tranfer", msg, withStatus: false), // B3: the PBX really spells it "Tranfer".
            30014 => WithMembers("Forward", msg, withStatus: false),
            30015 => CallFailed(msg),
            30008 => ExtensionStatus(msg),
            30012 => NewCdr(msg),
            30025 => QueueAutoPause(msg),
            // 30026 (agent ringing timeout) and 30029 (agent status) have no documented S-Series event: none is sent.
            _ => null,
        };
        if (body is not null)
        {
            body["sn"] = serialNumber;
        }

        return body;
    }

    // call/query: {callid, members[]} (s-call-query-response.json).
    public static JsonObject ToQueryCall(JsonObject snapshot) => new()
    {
        ["callid"] = Text(snapshot, "call_id"),
        ["members"] = Members(snapshot, withStatus: true),
    };

    private static JsonObject WithMembers(string name, JsonObject msg, bool withStatus) => new()
    {
        ["event"] = name,
        ["callid"] = Text(msg, "call_id"),
        ["members"] = Members(msg, withStatus),
    };

    // s-callfailed.json: callid, event, reason, members[{ext{number,channelid}}].
    private static JsonObject CallFailed(JsonObject msg) => new()
    {
        ["callid"] = Text(msg, "call_id"),
        ["event"] = "CallFailed",
        ["reason"] = Text(msg, "reason"),
        // A null "members" stays null, as the PBX sends it.
        ["members"] = msg.TryGetPropertyValue("members", out var members) && members is null ? null : Members(msg, withStatus: false),
    };

    // B3: v2 has no "Idle"; "Registered" is sent when a SIP extension goes busy → idle.
    private static JsonObject ExtensionStatus(JsonObject msg) => new()
    {
        ["event"] = "ExtensionStatus",
        ["extension"] = Text(msg, "extension"),
        ["status"] = Text(msg, "status") == "Idle" ? "Registered" : Text(msg, "status"),
    };

    // s-newcdr-*.json: every value a string, with the real "callduraction", "talkduraction", "dsttrcunkname" spellings.
    private static JsonObject NewCdr(JsonObject msg) => new()
    {
        ["event"] = "NewCdr",
        ["callid"] = Text(msg, "call_id"),
        ["timestart"] = Text(msg, "time_start"),
        ["callfrom"] = Text(msg, "call_from"),
        ["callto"] = Text(msg, "call_to"),
        ["callduraction"] = Text(msg, "call_duration"),
        ["talkduraction"] = Text(msg, "talk_duration"),
        ["srctrunkname"] = Text(msg, "src_trunk_name"),
        ["dsttrcunkname"] = Text(msg, "dst_trunk_name"),
        ["pincode"] = Text(msg, "pin_code"),
        ["status"] = Text(msg, "status"),
        ["type"] = Text(msg, "type"),
        ["recording"] = Text(msg, "recording"),
        ["didnumber"] = Text(msg, "did_number"),
        ["agentringtime"] = Text(msg, "agent_ring_time"),
    };

    // B3 QueueAutoPause: queue, agent, misscall[] {caller, callid}; strings, as in the other v2 bodies.
    private static JsonObject QueueAutoPause(JsonObject msg) => new()
    {
        ["event"] = "QueueAutoPause",
        ["queue"] = Text(msg, "queue_number"),
        ["agent"] = Text(msg, "agent_number"),
        ["misscall"] = new JsonArray([.. (msg["calls"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (JsonNode)new JsonObject { ["caller"] = Text(c, "caller_number"), ["callid"] = Text(c, "call_id") })]),
    };

    // P member {"extension":{number,channel_id,member_status,call_path}} → S {"ext":{number,channelid,memberstatus,callpath}};
    // trunk legs keep their inbound/outbound key with trunk_name → trunkname (B3).
    private static JsonArray Members(JsonObject msg, bool withStatus)
    {
        var members = new JsonArray();
        if (msg["members"] is not JsonArray source)
        {
            return members;
        }

        foreach (var wrapper in source.OfType<JsonObject>())
        {
            foreach (var (key, value) in wrapper)
            {
                if (value is not JsonObject leg)
                {
                    continue;
                }

                var converted = new JsonObject();
                if (key == "extension")
                {
                    converted["number"] = Text(leg, "number");
                }
                else
                {
                    converted["from"] = Text(leg, "from");
                    converted["to"] = Text(leg, "to");
                    converted["trunkname"] = Text(leg, "trunk_name");
                }

                converted["channelid"] = Text(leg, "channel_id");
                if (withStatus)
                {
                    converted["memberstatus"] = Text(leg, "member_status");
                    converted["callpath"] = Text(leg, "call_path");
                }

                members.Add(new JsonObject { [key == "extension" ? "ext" : key] = converted });
            }
        }

        return members;
    }

    private static string Text(JsonObject source, string name) => source[name] switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonNode node => PbxJson.Serialize(node).Trim('"'),
    };
}
