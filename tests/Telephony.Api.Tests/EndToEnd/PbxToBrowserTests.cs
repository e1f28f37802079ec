using System.Net.Http.Json;
using System.Text.Json;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.EndToEnd;

/// <summary>The backbone: simulator call → bridge → API (grains) → PostgreSQL row and SignalR pushes.</summary>
public sealed class PbxToBrowserTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task Answered_inbound_call_is_pushed_live_and_logged_with_its_cdr_durations()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 10, IdleTimeout = TimeSpan.FromMinutes(10) }, ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant);

        await hub.WaitForAsync(e => e.Name == "yeastar:connected");
        var pbxCallId = pbx.StartInboundCall("89991234567", "1001", ringFor: TimeSpan.FromSeconds(4), talkFor: TimeSpan.FromSeconds(30));

        await hub.WaitForAsync(e => e.Name == "call:ended" && e.PbxCallId == pbxCallId);
        var final = await hub.WaitForAsync(e => e.PbxCallId == pbxCallId && e.Text("outcome") == "answered" && e.Number("talkSeconds") == 30);

        var names = hub.Drain().Where(e => e.PbxCallId == pbxCallId).Select(e => e.Name).Distinct().ToList();
        Assert.Equal(["call:new", "call:ringing", "call:answered", "call:ended"], names.Where(n => n != "call:updated"));
        Assert.Equal("+79991234567", final.Text("externalNumber"));
        Assert.Equal("1001", final.Text("extension"));

        // Pushes go out from the grain's memory before the row is written (design.md §9), so read until it lands.
        using var client = api.CreateClient(tenant.AgentKey);
        var stored = await Eventually.GetAsync(client, $"api/calls/{pbxCallId}", c => c.GetProperty("outcome").GetString() == "answered");
        Assert.Equal("inbound", stored.GetProperty("direction").GetString());
        Assert.Equal("ended", stored.GetProperty("status").GetString());
        Assert.Equal("answered", stored.GetProperty("outcome").GetString());
        Assert.Equal(30, stored.GetProperty("talkSeconds").GetInt32());
        Assert.Equal(4, stored.GetProperty("ringSeconds").GetInt32());
        Assert.Equal(34, stored.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("1001", stored.GetProperty("legs")[0].GetProperty("extension").GetString());
    }

    [Fact]
    public async Task Missed_inbound_call_is_logged_as_missed()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey, extension: "1002");
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 10, IdleTimeout = TimeSpan.FromMinutes(10) }, ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant);
        await hub.WaitForAsync(e => e.Name == "yeastar:connected");

        var pbxCallId = pbx.StartInboundCall("+79990001122", "1002", ringFor: TimeSpan.FromSeconds(12), talkFor: null);

        await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == pbxCallId);
        await hub.WaitForAsync(e => e.PbxCallId == pbxCallId && e.Text("outcome") == "missed" && e.Number("durationSeconds") == 12);
        using var client = api.CreateClient(tenant.AgentKey);
        var page = await Eventually.GetAsync(client, "api/calls/logs?status=missed", p => p.GetProperty("total").GetInt64() == 1);
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(pbxCallId, page.GetProperty("items")[0].GetProperty("pbxCallId").GetString());
    }
}
