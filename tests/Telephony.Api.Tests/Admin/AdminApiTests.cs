using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Api.Tests.Admin;

public sealed class AdminApiTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bootstrap_admin_creates_a_tenant_its_pbx_and_keys_that_work_and_can_be_revoked()
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var tenantId = $"pizza-{Guid.NewGuid():N}"[..20];

        using var created = await root.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = "Pizza Place", slaSeconds = 15 }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await root.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = "Again" }, Ct)).StatusCode);
        using var pbx = await root.PutAsJsonAsync($"api/admin/tenants/{tenantId}/pbxes/main", new { name = "Kitchen PBX", kind = "p-series", timeZone = "Europe/Berlin", defaultRegion = "DE" }, Ct);
        Assert.Equal(HttpStatusCode.OK, pbx.StatusCode);

        using var agentResponse = await root.PostAsJsonAsync($"api/admin/tenants/{tenantId}/keys", new { role = "agent", name = "front desk" }, Ct);
        Assert.Equal(HttpStatusCode.Created, agentResponse.StatusCode);
        var agentKey = await agentResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var clear = agentKey.GetProperty("key").GetString()!;
        using var agent = api.CreateClient(clear);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("api/calls/logs", Ct)).StatusCode);

        var listed = await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenantId}/keys", Ct);
        Assert.DoesNotContain(clear, listed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("key").ValueKind);

        using var revoked = await root.DeleteAsync($"api/admin/tenants/{tenantId}/keys/{agentKey.GetProperty("id").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync("api/calls/logs", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_not_remembered_so_a_key_stored_after_a_refusal_works_at_once()
    {
        var tenant = await Telephony.TestSupport.TestTenant.CreateAsync(api.Database);
        var clear = Telephony.Core.Tenancy.ApiKeyRepository.NewKey();
        using var agent = api.CreateClient(clear);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync("api/calls/logs", Ct)).StatusCode);

        await new Telephony.Core.Tenancy.ApiKeyRepository(api.Database.DataSource)
            .AddAsync(tenant.TenantId, Telephony.Core.Tenancy.ApiKeyRole.Agent, null, "late", clear, Ct);

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("api/calls/logs", Ct)).StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_never_in_clear()
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var tenantId = $"hash-{Guid.NewGuid():N}"[..20];
        (await root.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = "Hash" }, Ct)).EnsureSuccessStatusCode();
        using var response = await root.PostAsJsonAsync($"api/admin/tenants/{tenantId}/keys", new { role = "agent", name = "k" }, Ct);
        var clear = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;

        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from api_keys where encode(key_hash, 'escape') like '%' || @k || '%' or name = @k";
        command.Parameters.AddWithValue("k", clear);
        Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
    }

    [Theory]
    [InlineData("""{"name":"Kitchen","kind":"p-series","timeZone":"Mars/Olympus","defaultRegion":"RU"}""", "timeZone")]
    [InlineData("""{"name":"Kitchen","kind":"p-series","timeZone":"Europe/Moscow","defaultRegion":"XX"}""", "defaultRegion")]
    [InlineData("""{"name":"Kitchen","kind":"q-series","timeZone":"Europe/Moscow","defaultRegion":"RU"}""", "Kind")]
    public async Task Bad_pbx_records_are_refused_with_the_field_named(string body, string field)
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var tenantId = $"bad-{Guid.NewGuid():N}"[..20];
        (await root.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = "Bad" }, Ct)).EnsureSuccessStatusCode();

        using var response = await root.PutAsync($"api/admin/tenants/{tenantId}/pbxes/main", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), p => p.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_bridge_key_needs_one_of_the_tenants_pbxs_and_agents_cannot_use_the_admin_api()
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var tenant = await Telephony.TestSupport.TestTenant.CreateAsync(api.Database);
        Assert.Equal(HttpStatusCode.BadRequest, (await root.PostAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/keys", new { role = "bridge", name = "b", pbxId = "nope" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await root.PostAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/keys", new { role = "bridge", name = "b", pbxId = "main" }, Ct)).StatusCode);

        using var agent = api.CreateClient(tenant.AgentKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"api/admin/tenants/{tenant.TenantId}/keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await root.GetAsync("api/calls/logs", Ct)).StatusCode);
    }
}
