using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

public sealed class ReconciliationTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task A_live_call_the_pbx_no_longer_has_is_closed_and_a_fresh_one_is_left_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAtAsync(bridge, tenant.PbxId, DateTimeOffset.UtcNow.AddMinutes(-5), PbxFrames.Ringing("1700030000.1", "89160000031", "1001"));
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Ringing("1700030000.2", "89160000032", "1002"));
        await PbxFrames.PostAtAsync(bridge, tenant.PbxId, DateTimeOffset.UtcNow.AddMinutes(-5), PbxFrames.Ringing("1700030000.3", "89160000033", "1003"));
        await Eventually.GetAsync(agent, "api/calls/active", a => a.GetArrayLength() == 3);

        using var response = await bridge.PutAsJsonAsync($"api/pbx/{tenant.PbxId}/active-calls", new { callIds = new[] { "1700030000.3" } }, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var closed = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("closed");
        Assert.Equal(["1700030000.1"], closed.EnumerateArray().Select(c => c.GetString()));
        var call = await Eventually.GetAsync(agent, "api/calls/1700030000.1", c => c.GetProperty("status").GetString() == "ended");
        Assert.Equal("missed", call.GetProperty("outcome").GetString());
        var active = await agent.GetFromJsonAsync<JsonElement>("api/calls/active", ct);
        Assert.Equal(["1700030000.2", "1700030000.3"], active.EnumerateArray().Select(c => c.GetProperty("pbxCallId").GetString()).Order());

        // The CDR that backfill brings later is still the final word.
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr("1700030000.1", "89160000031", "1001", "ANSWERED", "Inbound", DateTime.UtcNow.AddMinutes(-2), 50, 40));
        var refined = await Eventually.GetAsync(agent, "api/calls/1700030000.1", c => c.GetProperty("outcome").GetString() == "answered");
        Assert.Equal(40, refined.GetProperty("talkSeconds").GetInt32());
    }
}
