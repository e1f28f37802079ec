using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Customers;

public sealed class SlowCrmTests(SlowCrmApiFactory api) : IClassFixture<SlowCrmApiFactory>
{
    [Fact]
    public async Task A_slow_crm_does_not_hold_the_popup_and_the_profile_follows_as_call_updated()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        using var bridge = api.CreateClient(tenant.BridgeKey);

        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Ringing("1700009200.1", "89160002222", "1002"));

        var ringing = await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700009200.1");
        Assert.Equal(JsonValueKind.Null, ringing.Payload.GetProperty("customer").ValueKind);
        var updated = await hub.WaitForAsync(e => e.Name == "call:updated" && e.PbxCallId == "1700009200.1");
        Assert.Equal("Pavel Kozlov", updated.Payload.GetProperty("customer").GetProperty("customerName").GetString());
        Assert.Equal("silver", updated.Payload.GetProperty("customer").GetProperty("loyaltyTier").GetString());
    }
}
