using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.LiveEvents;

public sealed class HubAuthenticationTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_negotiated_token_opens_the_hub_for_its_own_tenant_only_and_not_the_rest_api()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var negotiated = await agent.PostAsync("api/negotiate", null, Ct);
        var body = await negotiated.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = body.GetProperty("accessToken").GetString()!;
        Assert.Equal("/hubs/calls", body.GetProperty("url").GetString());
        Assert.DoesNotContain(tenant.AgentKey, token, StringComparison.Ordinal);

        await using var hub = await api.ConnectHubAsync(token);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Ringing("1700010000.1", "89165551111", "1001"));
        await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700010000.1");

        using var withToken = api.CreateClient(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("api/calls/logs", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_no_key_a_wrong_key_and_a_tampered_token()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        var token = (await (await agent.PostAsync("api/negotiate", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;

        foreach (var bad in new[] { "", "tk_not-a-key", token[..^4] + "AAAA", tenant.BridgeKey })
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await (await api.ConnectHubAsync(bad)).DisposeAsync());
        }
    }
}
