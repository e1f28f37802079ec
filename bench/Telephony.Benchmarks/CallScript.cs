using System.Globalization;
using System.Text.Json.Nodes;

namespace Telephony.Benchmarks;

/// <summary>
/// Every frame one simulated call makes, in PBX order, as P-Series WebSocket frames (api.md A5, A8): 30011 snapshots
/// (one phone, a ring group of three, a transfer), 30008 extension status, the 30012 CDR; and its expected outcome.
/// </summary>
internal sealed class CallScript
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly List<JsonObject> _frames = [];
    private int _next;

    private CallScript(string callId, string outcome)
    {
        CallId = callId;
        Outcome = outcome;
    }

    public string CallId { get; }

    /// <summary><c>answered</c> or <c>missed</c>, as the call log must end up saying.</summary>
    public string Outcome { get; }

    public bool IsDone => _next >= _frames.Count;

    public int FrameCount => _frames.Count;

    public JsonObject NextFrame() => _frames[_next++];

    public static CallScript Create(Random random, string callId, int extensionBase)
    {
        string Ext() => (extensionBase + random.Next(0, 60)).ToString(CultureInfo.InvariantCulture);
        var caller = string.Create(CultureInfo.InvariantCulture, $"8916{random.Next(1_000_000, 9_999_999)}");
        var roll = random.NextDouble();
        var started = DateTimeOffset.UtcNow;

        if (roll < 0.15)
        {
            // Missed: rings one phone, the caller hangs up.
            var ext = Ext();
            var missed = new CallScript(callId, "missed");
            missed.Snapshot(30011, Inbound(caller, ext, "ALERT"), Extension(ext, "RING"));
            missed.Status(ext, "Ringing");
            missed.Snapshot(30011, Inbound(caller, ext, "BYE"), Extension(ext, "BYE"));
            missed.Status(ext, "Idle");
            missed.Cdr(started, caller, ext, 15, 0, "NO ANSWER");
            return missed;
        }

        var call = new CallScript(callId, "answered");
        if (roll < 0.40)
        {
            // A ring group of three phones; one answers.
            string[] group = [Ext(), Ext(), Ext()];
            group = [.. group.Distinct()];
            var answerer = group[random.Next(group.Length)];
            call.Snapshot(30011, [Inbound(caller, "6300", "ALERT"), .. group.Select(e => Extension(e, "RING", "6300"))]);
            foreach (var e in group)
            {
                call.Status(e, "Ringing");
            }

            call.Snapshot(30011, Inbound(caller, "6300", "ANSWERED"), Extension(answerer, "ANSWER", "6300"));
            foreach (var e in group)
            {
                call.Status(e, e == answerer ? "Busy" : "Idle");
            }

            call.Snapshot(30011, Inbound(caller, "6300", "BYE"), Extension(answerer, "BYE", "6300"));
            call.Status(answerer, "Idle");
            call.Cdr(started, caller, answerer, 45, 33, "ANSWERED");
            return call;
        }

        var first = Ext();
        call.Snapshot(30011, Inbound(caller, first, "ALERT"), Extension(first, "RING"));
        call.Status(first, "Ringing");
        call.Snapshot(30011, Inbound(caller, first, "ANSWERED"), Extension(first, "ANSWER"));
        call.Status(first, "Busy");
        var last = first;
        if (roll < 0.50)
        {
            // Blind transfer to another phone (30013), which answers.
            var target = Ext();
            if (target != first)
            {
                call.Snapshot(30013, Inbound(caller, first, "ANSWERED"), Extension(first, "BYE"), Extension(target, "RING"));
                call.Status(first, "Idle");
                call.Snapshot(30011, Inbound(caller, target, "ANSWERED"), Extension(target, "ANSWER"));
                call.Status(target, "Busy");
                last = target;
            }
        }

        call.Snapshot(30011, Inbound(caller, last, "BYE"), Extension(last, "BYE"));
        call.Status(last, "Idle");
        call.Cdr(started, caller, last, 60, 48, "ANSWERED");
        return call;
    }

    /// <summary>A frame the parser must refuse without harm: a truncated msg.</summary>
    public static JsonObject Garbage(Random random) =>
        new() { ["type"] = 30011, ["sn"] = "BENCH", ["msg"] = "{\"call_id\":\"" + random.Next() + "\",\"members\":[{\"extension\":" };

    private void Snapshot(int type, params JsonObject[] members)
    {
        var msg = new JsonObject { ["call_id"] = CallId, ["members"] = new JsonArray([.. members]) };
        _frames.Add(new JsonObject { ["type"] = type, ["sn"] = "BENCH", ["msg"] = msg.ToJsonString() });
    }

    private void Status(string extension, string status) =>
        _frames.Add(new JsonObject { ["type"] = 30008, ["sn"] = "BENCH", ["msg"] = new JsonObject { ["extension"] = extension, ["status"] = status }.ToJsonString() });

    private void Cdr(DateTimeOffset started, string from, string to, int callSeconds, int talkSeconds, string status)
    {
        var msg = new JsonObject
        {
            ["call_id"] = CallId,
            ["time_start"] = TimeZoneInfo.ConvertTime(started, Moscow).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["call_from"] = from,
            ["call_to"] = to,
            ["call_duration"] = callSeconds,
            ["talk_duration"] = talkSeconds,
            ["src_trunk_name"] = "siptrunk",
            ["dst_trunk_name"] = "",
            ["status"] = status,
            ["type"] = "Inbound",
            ["recording"] = "",
            ["did_number"] = "",
            ["uid"] = "",
        };
        _frames.Add(new JsonObject { ["type"] = 30012, ["sn"] = "BENCH", ["msg"] = msg.ToJsonString() });
    }

    private static JsonObject Inbound(string from, string to, string status) => new()
    {
        ["inbound"] = new JsonObject
        {
            ["from"] = from,
            ["to"] = to,
            ["trunk_name"] = "siptrunk",
            ["channel_id"] = "PJSIP/trunk-siptrunk-endpoint-00000001",
            ["member_status"] = status,
            ["call_path"] = "",
        },
    };

    private static JsonObject Extension(string number, string status, string callPath = "") => new()
    {
        ["extension"] = new JsonObject
        {
            ["number"] = number,
            ["channel_id"] = $"PJSIP/{number}-00000002",
            ["member_status"] = status,
            ["call_path"] = callPath,
        },
    };
}
