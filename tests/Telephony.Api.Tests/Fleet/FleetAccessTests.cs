using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Fleet;

/// <summary>Issue 11 §3: fleet keys are platform-level, made only with the bootstrap key, and the only keys that see secrets.</summary>
public sealed class FleetAccessTests(TelephonyApiFactory api)
{
    private const string Secret = "only-for-fleet-keys-secret";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Agent_admin_bridge_and_bootstrap_keys_cannot_read_the_fleet_list_and_learn_nothing()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api, Secret);
        var tenantAdminKey = await CreateTenantKeyAsync(tenant.TenantId, "admin");

        foreach (var key in new[] { tenant.AgentKey, tenant.BridgeKey, tenantAdminKey, TelephonyApiFactory.AdminKey })
        {
            using var client = api.CreateClient(key);
            using var response = await client.GetAsync("api/fleet/pbxes", Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(tenant.TenantId, body, StringComparison.Ordinal);
        }

        using var anonymous = api.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/fleet/pbxes", Ct)).StatusCode);
    }

    [Fact]
    public async Task Only_the_bootstrap_key_creates_lists_and_revokes_fleet_keys_and_a_revoked_one_stops_working()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var tenantAdmin = api.CreateClient(await CreateTenantKeyAsync(tenant.TenantId, "admin"));
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantAdmin.PostAsJsonAsync("api/admin/fleet-keys", new { name = "sneaky" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantAdmin.GetAsync("api/admin/fleet-keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenantAdmin.PostAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/keys", new { role = "fleet", name = "sneaky" }, Ct)).StatusCode);

        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var created = await root.PostAsJsonAsync("api/admin/fleet-keys", new { name = "fleet-1" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("fleet", key.GetProperty("role").GetString());
        var clear = key.GetProperty("key").GetString()!;
        var id = key.GetProperty("id").GetString();

        var listed = await root.GetFromJsonAsync<JsonElement>("api/admin/fleet-keys", Ct);
        Assert.Contains(listed.EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(clear, listed.GetRawText(), StringComparison.Ordinal);
        var tenantKeys = await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/keys", Ct);
        Assert.DoesNotContain(tenantKeys.EnumerateArray(), k => k.GetProperty("id").GetString() == id);

        using var fleet = api.CreateClient(clear);
        Assert.Equal(HttpStatusCode.OK, (await fleet.GetAsync("api/fleet/pbxes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fleet.GetAsync("api/calls/logs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fleet.GetAsync($"api/admin/tenants/{tenant.TenantId}/pbxes", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await root.DeleteAsync($"api/admin/fleet-keys/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fleet.GetAsync("api/fleet/pbxes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await root.DeleteAsync($"api/admin/fleet-keys/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_fleet_key_posts_for_a_pbx_only_naming_a_lease_and_a_bridge_key_stays_bound_to_its_pbx()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));

        using var bare = await fleet.PostAsJsonAsync("api/pbx/main/link", new { connected = true }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Contains("X-Telephony-Lease-Epoch", await bare.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var bridge = api.CreateClient(tenant.BridgeKey);
        Assert.Equal(HttpStatusCode.NoContent, (await bridge.PostAsJsonAsync("api/pbx/main/link", new { connected = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bridge.PostAsJsonAsync("api/pbx/other/link", new { connected = true }, Ct)).StatusCode);
    }

    private async Task<string> CreateTenantKeyAsync(string tenantId, string role)
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var response = await root.PostAsJsonAsync($"api/admin/tenants/{tenantId}/keys", new { role, name = role }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }
}
