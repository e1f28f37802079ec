using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Commands;

/// <summary>Click-to-call and hangup through the real bridge to the simulator, and their refusals.</summary>
public sealed class CallControlTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dial_rings_the_callers_extension_and_hangup_ends_the_call()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 5, IdleTimeout = TimeSpan.FromMinutes(10) }, Ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant);
        using var agent = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(agent, "api/extensions", e => e.GetArrayLength() == 5);

        using var dialed = await agent.PostAsJsonAsync("api/calls/dial", new { from = "1001", to = "8 (916) 000-00-05", autoAnswer = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, dialed.StatusCode);
        var pbxCallId = (await dialed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("pbxCallId").GetString()!;
        await hub.WaitForAsync(e => e.PbxCallId == pbxCallId && e.Name == "call:new");

        await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => c.GetProperty("status").GetString() is "ringing" or "answered");
        using var hungUp = await agent.PostAsync($"api/calls/hangup/{pbxCallId}", null, Ct);
        Assert.Equal(HttpStatusCode.OK, hungUp.StatusCode);
        await pbx.WhenCallCompletedAsync(pbxCallId, Ct);
        await hub.WaitForAsync(e => e.PbxCallId == pbxCallId && e.Name == "call:ended");

        await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => c.GetProperty("status").GetString() == "ended");
        using var again = await agent.PostAsync($"api/calls/hangup/{pbxCallId}", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Dial_refuses_unknown_extensions_undialable_numbers_and_a_caller_id_name_on_p_series()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        var other = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 5, IdleTimeout = TimeSpan.FromMinutes(10) }, Ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant);
        using var agent = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(agent, "api/extensions", e => e.GetArrayLength() == 5);

        await AssertFieldRefusedAsync(agent, new { from = "4242", to = "89160000005", autoAnswer = false }, "from");
        await AssertFieldRefusedAsync(agent, new { from = "1001", to = "pizza please", autoAnswer = false }, "to");
        await AssertFieldRefusedAsync(agent, new { from = "1001", to = "89160000005", autoAnswer = false, callerIdName = "Pizza" }, "callerIdName");
        await AssertFieldRefusedAsync(agent, new { from = "", to = "89160000005", autoAnswer = false }, "from");

        // Another tenant's agent cannot dial from this tenant's phones: they are not its extensions.
        using var stranger = api.CreateClient(other.AgentKey);
        await AssertFieldRefusedAsync(stranger, new { from = "1001", to = "89160000005", autoAnswer = false }, "from");
        Assert.Empty(pbx.Calls);
    }

    [Fact]
    public async Task Dial_without_a_running_bridge_is_504_and_a_pbx_refusal_is_502_with_its_errcode()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        await using (var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 5, IdleTimeout = TimeSpan.FromMinutes(10) }, Ct))
        {
            await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant);
            await Eventually.GetAsync(agent, "api/extensions", e => e.GetArrayLength() == 5);

            // The PBX answers hangup of a call it does not have with an error: the API passes its errcode on.
            using var bridgeClient = api.CreateClient(tenant.BridgeKey);
            await PbxFrames.PostAsync(bridgeClient, tenant.PbxId, PbxFrames.Ringing("1700020000.1", "89160000007", "1002"));
            using var refused = await agent.PostAsync("api/calls/hangup/1700020000.1", null, Ct);
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(60001, problem.GetProperty("errcode").GetInt32());
        }

        var offline = TestTenant.CreateAsync(api.Database);
        var lonely = await offline;
        await new Telephony.Core.Storage.ExtensionRepository(api.Database.DataSource).SyncAsync(lonely.TenantId, lonely.PbxId, [new() { PbxId = lonely.PbxId, Number = "1001" }], Ct);
        using var lonelyAgent = api.CreateClient(lonely.AgentKey);
        using var response = await lonelyAgent.PostAsJsonAsync("api/calls/dial", new { from = "1001", to = "89160000005", autoAnswer = false }, Ct);
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    private static async Task AssertFieldRefusedAsync(HttpClient agent, object body, string field)
    {
        using var response = await agent.PostAsJsonAsync("api/calls/dial", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }
}
