using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>A batch's extension frames are stored with one write, yet every frame still pushes the status it left.</summary>
public sealed class ExtensionStatusIngestTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task Each_status_frame_of_a_batch_is_pushed_in_order_and_the_last_one_is_stored()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);

        await PbxFrames.PostAsync(bridge, tenant.PbxId, Status("2002", "Ringing"), Status("2003", "Ringing"), Status("2002", "Busy"), Status("2002", "Idle"));

        await hub.WaitForAsync(e => e.Name == "extension:status" && e.Text("number") == "2002" && e.Text("callStatus") == "idle");
        var pushed = hub.Drain().Where(e => e.Name == "extension:status").Select(e => $"{e.Text("number")}:{e.Text("callStatus")}");
        Assert.Equal(["2002:ringing", "2003:ringing", "2002:busy", "2002:idle"], pushed);
        var stored = await Eventually.GetAsync(agent, "api/extensions/2002/status", s => s.GetProperty("callStatus").GetString() == "idle");
        Assert.Equal("idle", stored.GetProperty("callStatus").GetString());
        Assert.Equal("ringing", (await Eventually.GetAsync(agent, "api/extensions/2003/status", _ => true)).GetProperty("callStatus").GetString());
    }

    [Fact]
    public async Task Registration_and_presence_keep_the_call_status_and_a_status_frame_keeps_them()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, Status("2010", "Busy"));

        await PbxFrames.PostAsync(bridge, tenant.PbxId, Frame(30007, """{"extension":"2010","kind":"SIP","status":"Unregistered"}"""), Frame(30009, """{"extension":"2010","status":"business_trip"}"""));
        await PbxFrames.PostAsync(bridge, tenant.PbxId, Status("2010", "Idle"));

        var stored = await Eventually.GetAsync(agent, "api/extensions/2010/status", s => s.GetProperty("callStatus").GetString() == "idle");
        Assert.False(stored.GetProperty("registered").GetBoolean());
        Assert.Equal("business_trip", stored.GetProperty("presence").GetString());
    }

    private static JsonObject Status(string extension, string status) => Frame(30008, $$"""{"extension":"{{extension}}","status":"{{status}}"}""");

    private static JsonObject Frame(int type, string msg) => new JsonObject { ["type"] = type, ["sn"] = "3631A2124XXX", ["msg"] = msg };
}
