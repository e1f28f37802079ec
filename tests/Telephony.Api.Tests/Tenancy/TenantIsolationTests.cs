using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Tenancy;

/// <summary>Tenant B's keys can neither read, change, dial nor hear tenant A's calls; another tenant's call id is 404, never 403.</summary>
public sealed class TenantIsolationTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_tenants_call_is_not_found_on_every_call_endpoint()
    {
        var (a, b, callUuid) = await TwoTenantsWithACallAsync("1700001000.1");
        using var other = api.CreateClient(b.AgentKey);

        foreach (var id in new[] { "1700001000.1", callUuid })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/calls/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"api/calls/{id}/customer", new { customerId = "x" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"api/calls/{id}/order", new { orderId = "x" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"api/calls/{id}/notes", new { note = "x" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"api/calls/hangup/{id}", null, Ct)).StatusCode);
        }

        using var owner = api.CreateClient(a.AgentKey);
        var call = await owner.GetFromJsonAsync<JsonElement>("api/calls/1700001000.1", Ct);
        Assert.Equal(JsonValueKind.Null, call.GetProperty("customer").ValueKind);
        Assert.Equal(0, call.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public async Task Lists_searches_and_stats_show_only_the_callers_tenant()
    {
        var (a, b, _) = await TwoTenantsWithACallAsync("1700002000.1");
        using var other = api.CreateClient(b.AgentKey);
        using var owner = api.CreateClient(a.AgentKey);

        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/logs", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>("api/calls/logs", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/logs/phone/89991234567", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>("api/calls/logs/phone/+7 999 123-45-67", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/missed", Ct)).GetArrayLength());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/active", Ct)).GetArrayLength());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/stats?from=2026-03-01&to=2026-03-31", Ct)).GetProperty("totals").GetProperty("totalCalls").GetInt64());
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>("api/calls/stats?from=2026-03-01&to=2026-03-31", Ct)).GetProperty("totals").GetProperty("totalCalls").GetInt64());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/calls/stats/1001?from=2026-03-01&to=2026-03-31", Ct)).GetProperty("totals").GetProperty("totalCalls").GetInt64());
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>("api/calls/logs/phone/79991234567", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(1, (await owner.GetFromJsonAsync<JsonElement>("api/calls/logs?phone=8%20999%20123%2045%2067", Ct)).GetProperty("total").GetInt64());
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("api/extensions", Ct)).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("api/extensions/1001/status", Ct)).StatusCode);
        Assert.DoesNotContain(a.TenantId, await other.GetStringAsync("api/pbx", Ct), StringComparison.Ordinal);
        var csv = await other.GetStringAsync("api/calls/logs?format=csv", Ct);
        Assert.DoesNotContain("1700002000.1", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bridge_key_cannot_post_into_another_tenant_and_a_hub_hears_only_its_own_tenant()
    {
        var a = await TestTenant.CreateAsync(api.Database);
        var b = await TestTenant.CreateAsync(api.Database);
        await using var hubA = await api.ConnectHubAsync(a.AgentKey);
        await using var hubB = await api.ConnectHubAsync(b.AgentKey, extension: "1001");
        using var bridgeB = api.CreateClient(b.BridgeKey);
        using var bridgeA = api.CreateClient(a.BridgeKey);

        // B's bridge key posts to "main", which resolves inside B's tenant: A's call log stays empty.
        await PbxFrames.PostAsync(bridgeB, "main", PbxFrames.Fixture("p-30011-ringing-inbound.json"));
        await PbxFrames.PostAsync(bridgeA, "main", PbxFrames.Cdr("1700003000.1", "89990000001", "1001", "NO ANSWER", "Inbound", new DateTime(2026, 3, 3, 9, 0, 0), 20, 0));

        await hubA.WaitForAsync(e => e.PbxCallId == "1700003000.1" && e.Name == "call:ended");
        await hubB.WaitForAsync(e => e.PbxCallId == "1648861726.280" && e.Name == "call:ringing");
        Assert.DoesNotContain(hubA.Drain(), e => e.PbxCallId == "1648861726.280");
        Assert.DoesNotContain(hubB.Drain(), e => e.PbxCallId == "1700003000.1");
    }

    [Fact]
    public async Task A_tenant_admin_cannot_see_or_change_another_tenants_keys()
    {
        var (a, b, _) = await TwoTenantsWithACallAsync("1700004000.1");
        var adminB = await CreateAdminKeyAsync(b.TenantId);
        using var client = api.CreateClient(adminB);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/admin/tenants/{a.TenantId}/keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"api/admin/tenants/{a.TenantId}/keys", new { role = "agent", name = "sneaky" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"api/admin/tenants/{a.TenantId}/keys/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/admin/tenants/{b.TenantId}/keys", Ct)).StatusCode);
    }

    private async Task<string> CreateAdminKeyAsync(string tenantId)
    {
        var keys = new Telephony.Core.Tenancy.ApiKeyRepository(api.Database.DataSource);
        var key = Telephony.Core.Tenancy.ApiKeyRepository.NewKey();
        await keys.AddAsync(tenantId, Telephony.Core.Tenancy.ApiKeyRole.Admin, null, "admin", key, Ct);
        return key;
    }

    private async Task<(TestTenant A, TestTenant B, string CallUuid)> TwoTenantsWithACallAsync(string pbxCallId)
    {
        var a = await TestTenant.CreateAsync(api.Database);
        var b = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(a.BridgeKey);
        await new Telephony.Core.Storage.ExtensionRepository(api.Database.DataSource).SyncAsync(a.TenantId, a.PbxId, [new() { PbxId = a.PbxId, Number = "1001" }], Ct);
        await PbxFrames.PostAsync(bridge, a.PbxId, PbxFrames.Cdr(pbxCallId, "89991234567", "1001", "NO ANSWER", "Inbound", new DateTime(2026, 3, 4, 12, 0, 0), 30, 0));
        using var owner = api.CreateClient(a.AgentKey);
        var call = await Eventually.GetAsync(owner, $"api/calls/{pbxCallId}", _ => true);
        return (a, b, call.GetProperty("id").GetString()!);
    }
}
