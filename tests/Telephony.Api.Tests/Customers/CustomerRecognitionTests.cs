using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Core.Customers;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Customers;

public sealed class CustomerRecognitionTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task A_known_callers_profile_arrives_with_the_ringing_push()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await new CustomerRepository(api.Database.DataSource).UpsertAsync(tenant.TenantId, new CustomerProfile(
            "c-7", "Olga Popova", "+79160001234", "olga@example.com", "gold", [new CustomerOrder("o-9", DateTimeOffset.UtcNow.AddDays(-3), 24.50m)]), ct);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey, extension: "1003");
        using var bridge = api.CreateClient(tenant.BridgeKey);

        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Ringing("1700009000.1", "89160001234", "1003"));

        var ringing = await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700009000.1");
        var customer = ringing.Payload.GetProperty("customer");
        Assert.Equal("Olga Popova", customer.GetProperty("customerName").GetString());
        Assert.Equal("gold", customer.GetProperty("loyaltyTier").GetString());
        Assert.Equal("o-9", customer.GetProperty("recentOrders")[0].GetProperty("orderId").GetString());

        using var agent = api.CreateClient(tenant.AgentKey);
        var stored = await Eventually.GetAsync(agent, "api/calls/1700009000.1", c => c.GetProperty("customer").ValueKind == JsonValueKind.Object);
        Assert.Equal("c-7", stored.GetProperty("customer").GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task An_unknown_caller_is_pushed_without_a_customer()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        using var bridge = api.CreateClient(tenant.BridgeKey);

        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Ringing("1700009100.1", "89165550000", "1001"));

        var ringing = await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700009100.1");
        Assert.Equal(JsonValueKind.Null, ringing.Payload.GetProperty("customer").ValueKind);
    }
}
