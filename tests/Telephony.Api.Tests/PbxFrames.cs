using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.TestSupport;

namespace Telephony.Api.Tests;

/// <summary>Puts calls into a tenant the way the bridge does: PBX frames posted to the events endpoint.</summary>
public static class PbxFrames
{
    private static long _seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(FixturePaths.Folder, name)))!;

    /// <summary>A P-Series 30012 CDR frame for a call that happened entirely before the bridge saw it.</summary>
    public static JsonNode Cdr(string callId, string from, string to, string status, string type, DateTime startLocal, int callSeconds, int talkSeconds, string recording = "")
    {
        var msg = new JsonObject
        {
            ["call_id"] = callId,
            ["time_start"] = startLocal.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["call_from"] = from,
            ["call_to"] = to,
            ["call_duration"] = callSeconds,
            ["talk_duration"] = talkSeconds,
            ["src_trunk_name"] = type == "Inbound" ? "siptrunk" : "",
            ["dst_trunk_name"] = type == "Outbound" ? "siptrunk" : "",
            ["pin_code"] = "",
            ["status"] = status,
            ["type"] = type,
            ["recording"] = recording,
            ["did_number"] = "",
            ["did_name"] = "",
            ["agent_ring_time"] = 0,
            ["uid"] = callId.Replace(".", "", StringComparison.Ordinal),
            ["call_note_id"] = "",
            ["enb_call_note"] = 1,
        };
        return new JsonObject { ["type"] = 30012, ["sn"] = "3631A2124XXX", ["msg"] = msg.ToJsonString() };
    }

    /// <summary>A P-Series 30011 snapshot of an inbound call ringing one extension (as p-30011-ringing-inbound.json).</summary>
    public static JsonNode Ringing(string callId, string from, string extension)
    {
        var msg = new JsonObject
        {
            ["call_id"] = callId,
            ["members"] = new JsonArray(
                new JsonObject { ["inbound"] = new JsonObject { ["from"] = from, ["to"] = extension, ["trunk_name"] = "siptrunk", ["channel_id"] = "PJSIP/trunk-siptrunk-endpoint-00000001", ["member_status"] = "ALERT", ["call_path"] = "" } },
                new JsonObject { ["extension"] = new JsonObject { ["number"] = extension, ["channel_id"] = $"PJSIP/{extension}-00000002", ["member_status"] = "RING", ["call_path"] = "" } }),
        };
        return new JsonObject { ["type"] = 30011, ["sn"] = "3631A2124XXX", ["msg"] = msg.ToJsonString() };
    }

    public static Task<JsonElement> PostAsync(HttpClient bridgeClient, string pbxId, params JsonNode[] frames) =>
        PostAtAsync(bridgeClient, pbxId, DateTimeOffset.UtcNow, frames);

    /// <summary>As if the bridge had received the frames at <paramref name="receivedAt"/> (10 ms apart).</summary>
    public static async Task<JsonElement> PostAtAsync(HttpClient bridgeClient, string pbxId, DateTimeOffset receivedAt, params JsonNode[] frames)
    {
        using var response = await bridgeClient.PostAsync($"api/pbx/{pbxId}/events", Body(Batch(receivedAt, frames)), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>A bridge's batch of <paramref name="frames"/>, numbered and received 10 ms apart from <paramref name="receivedAt"/>.</summary>
    public static JsonObject Batch(DateTimeOffset receivedAt, params JsonNode[] frames)
    {
        var at = receivedAt;
        var events = new JsonArray();
        foreach (var frame in frames)
        {
            events.Add(new JsonObject { ["seq"] = Interlocked.Increment(ref _seq), ["receivedAt"] = at, ["source"] = "websocket", ["frame"] = frame.DeepClone() });
            at = at.AddMilliseconds(10);
        }

        return new JsonObject { ["bridgeId"] = "test-bridge", ["events"] = events };
    }

    public static StringContent Body(JsonObject batch) => new(batch.ToJsonString(), Encoding.UTF8, "application/json");
}
