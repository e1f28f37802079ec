using System.Text.Json;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.EndToEnd;

/// <summary>The same backbone for an S-Series PBX: HTTP event push to the bridge, then API, PostgreSQL and SignalR.</summary>
public sealed class SSeriesEndToEndTests(TelephonyApiFactory api)
{
    private static readonly Dictionary<string, string?> SSeriesBridge = new() { ["YEASTAR_API_VERSION"] = "v2.0.0" };

    [Fact]
    public async Task Answered_and_missed_s_series_calls_are_pushed_live_and_logged()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { Kind = "s-series", TimeScale = 10, IdleTimeout = TimeSpan.FromMinutes(10) }, ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant, SSeriesBridge);
        await hub.WaitForAsync(e => e.Name == "yeastar:connected");

        var answered = pbx.StartInboundCall("89160004444", "1004", ringFor: TimeSpan.FromSeconds(5), talkFor: TimeSpan.FromSeconds(40));
        var missed = pbx.StartInboundCall("89160005555", "1005", ringFor: TimeSpan.FromSeconds(9), talkFor: null);

        await hub.WaitForAsync(e => e.PbxCallId == answered && e.Name == "call:answered");
        using var agent = api.CreateClient(tenant.AgentKey);
        var a = await Eventually.GetAsync(agent, $"api/calls/{answered}", c => c.GetProperty("outcome").GetString() == "answered" && c.GetProperty("talkSeconds").GetInt32() == 40);
        Assert.Equal("+79160004444", a.GetProperty("externalNumber").GetString());
        Assert.Equal(5, a.GetProperty("ringSeconds").GetInt32());
        var m = await Eventually.GetAsync(agent, $"api/calls/{missed}", c => c.GetProperty("outcome").GetString() == "missed");
        Assert.Equal("1005", m.GetProperty("extension").GetString());
        Assert.Equal(JsonValueKind.Number, m.GetProperty("durationSeconds").ValueKind);
    }
}
