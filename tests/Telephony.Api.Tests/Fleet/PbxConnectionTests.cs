using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Telephony.Core.Fleet;
using Telephony.Core.Secrets;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Fleet;

/// <summary>Issue 11 §3: a PBX's connection through the admin API, its secret encrypted at rest and only ever sent to fleet keys.</summary>
public sealed class PbxConnectionTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_client_secret_is_stored_encrypted_shown_only_as_a_flag_and_served_in_clear_to_fleet_keys()
    {
        const string secret = "Sup3r-Secret-Value-42";
        var tenant = await FleetSetup.ConnectedTenantAsync(api, secret);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);

        var listed = await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/pbxes", Ct);
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
        Assert.True(listed[0].GetProperty("hasClientSecret").GetBoolean());
        Assert.Equal("pbx.example.test", listed[0].GetProperty("host").GetString());
        Assert.Equal("v1.0", listed[0].GetProperty("apiVersion").GetString());

        await using (var connection = await api.Database.DataSource.OpenConnectionAsync(Ct))
        {
            var row = await connection.QuerySingleAsync<(byte[] Secret, string RowText)>(
                "select client_secret, p::text from pbxes p where tenant_id = @TenantId and id = 'main'", new { tenant.TenantId });
            Assert.DoesNotContain(secret, row.RowText, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(secret)), Convert.ToHexStringLower(row.Secret), StringComparison.Ordinal);
            Assert.Equal(SecretCipher.KeyIdOf(TelephonyApiFactory.SecretsKey), SecretCipher.KeyIdOf(row.Secret.AsSpan()));
        }

        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        Assert.Equal(secret, (await FleetPbxAsync(fleet, tenant.TenantId)).GetProperty("clientSecret").GetString());
    }

    [Fact]
    public async Task Leaving_the_secret_out_keeps_it_and_an_empty_secret_without_host_removes_it()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api, "kept-secret");
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));

        (await root.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main", FleetSetup.Connection(secret: null), Ct)).EnsureSuccessStatusCode();
        Assert.Equal("kept-secret", (await FleetPbxAsync(fleet, tenant.TenantId)).GetProperty("clientSecret").GetString());

        using var cleared = await root.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main",
            new { name = "Kitchen PBX", kind = "p-series", timeZone = "Europe/Moscow", defaultRegion = "RU", clientSecret = "" }, Ct);
        cleared.EnsureSuccessStatusCode();
        var pbx = await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(pbx.GetProperty("hasClientSecret").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pbx.GetProperty("host").ValueKind);
        var all = await fleet.GetFromJsonAsync<JsonElement>("api/fleet/pbxes", Ct);
        Assert.DoesNotContain(all.EnumerateArray(), p => p.GetProperty("tenantId").GetString() == tenant.TenantId);
    }

    [Fact]
    public async Task A_fingerprint_with_colons_is_stored_as_plain_upper_case_hex()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cert"u8));
        var withColons = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2)));

        using var response = await root.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main",
            new { name = "S", kind = "s-series", timeZone = "Europe/Moscow", defaultRegion = "RU", host = "203.0.113.7", clientId = "c", clientSecret = "s", tlsFingerprint = withColons }, Ct);

        response.EnsureSuccessStatusCode();
        var pbx = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(hex.ToUpperInvariant(), pbx.GetProperty("tlsFingerprint").GetString());
        Assert.Equal("v2.0.0", pbx.GetProperty("apiVersion").GetString());
    }

    [Theory]
    [InlineData("""{"host":"https://pbx.example.test","clientId":"c","clientSecret":"s"}""", "host")]
    [InlineData("""{"host":"pbx.example.test:8088","clientId":"c","clientSecret":"s"}""", "host")]
    [InlineData("""{"host":"pbx.example.test","clientId":"c","clientSecret":"s","apiVersion":"v2.0.0"}""", "apiVersion")]
    [InlineData("""{"host":"pbx.example.test","clientId":"c","clientSecret":"s","apiVersion":"v3"}""", "apiVersion")]
    [InlineData("""{"host":"pbx.example.test","clientId":"c","clientSecret":"s","port":70000}""", "port")]
    [InlineData("""{"host":"pbx.example.test","clientSecret":"s"}""", "clientId")]
    [InlineData("""{"host":"pbx.example.test","clientId":"c"}""", "clientSecret")]
    [InlineData("""{"host":"pbx.example.test","clientId":"c","clientSecret":"s","tlsFingerprint":"AB:CD"}""", "tlsFingerprint")]
    [InlineData("""{"port":8088}""", "port")]
    [InlineData("""{"clientSecret":"s"}""", "clientSecret")]
    public async Task Bad_connection_fields_are_refused_with_the_field_named_and_nothing_stored(string connection, string field)
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        var body = """{"name":"Kitchen","kind":"p-series","timeZone":"Europe/Moscow","defaultRegion":"RU",""" + connection[1..];

        using var response = await root.PutAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), p => p.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        var pbx = await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/pbxes", Ct);
        Assert.Equal(JsonValueKind.Null, pbx[0].GetProperty("host").ValueKind);
    }

    [Fact]
    public async Task A_secret_sealed_under_the_previous_key_is_still_served_and_re_sealed_under_the_current_one()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        var context = SecretCipher.PbxContext(tenant.TenantId, "main");
        await SetStoredSecretAsync(tenant.TenantId, new SecretCipher(TelephonyApiFactory.PreviousSecretsKey).Seal("from-before-rotation", context));
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));

        Assert.Equal("from-before-rotation", (await FleetPbxAsync(fleet, tenant.TenantId)).GetProperty("clientSecret").GetString());

        // The start-up pass (run here directly) re-seals it, after which the previous key can go.
        var cipher = new SecretCipher(TelephonyApiFactory.SecretsKey, TelephonyApiFactory.PreviousSecretsKey);
        var (resealed, _) = await new FleetRepository(api.Database.DataSource).ResealClientSecretsAsync(cipher, Ct);
        Assert.True(resealed >= 1);
        var stored = await StoredSecretAsync(tenant.TenantId);
        Assert.Equal(SecretCipher.KeyIdOf(TelephonyApiFactory.SecretsKey), SecretCipher.KeyIdOf(stored.AsSpan()));
        Assert.Equal("from-before-rotation", new SecretCipher(TelephonyApiFactory.SecretsKey).TryOpen(stored, context));
    }

    [Fact]
    public async Task A_secret_under_a_key_the_server_does_not_have_is_reported_not_served_and_other_pbxs_still_are()
    {
        var broken = await FleetSetup.ConnectedTenantAsync(api);
        var healthy = await FleetSetup.ConnectedTenantAsync(api, "healthy-secret");
        await SetStoredSecretAsync(broken.TenantId, new SecretCipher(new byte[32]).Seal("lost", SecretCipher.PbxContext(broken.TenantId, "main")));
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));

        var pbx = await FleetPbxAsync(fleet, broken.TenantId);
        Assert.Equal(JsonValueKind.Null, pbx.GetProperty("clientSecret").ValueKind);
        Assert.Contains("TELEPHONY_SECRETS_KEY", pbx.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy-secret", (await FleetPbxAsync(fleet, healthy.TenantId)).GetProperty("clientSecret").GetString());
    }

    private static async Task<JsonElement> FleetPbxAsync(HttpClient fleet, string tenantId)
    {
        var all = await fleet.GetFromJsonAsync<JsonElement>("api/fleet/pbxes", Ct);
        return all.EnumerateArray().Single(p => p.GetProperty("tenantId").GetString() == tenantId);
    }

    private async Task SetStoredSecretAsync(string tenantId, byte[] sealedValue)
    {
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync("update pbxes set client_secret = @sealedValue where tenant_id = @tenantId and id = 'main'", new { tenantId, sealedValue });
    }

    private async Task<byte[]> StoredSecretAsync(string tenantId)
    {
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        return await connection.QuerySingleAsync<byte[]>("select client_secret from pbxes where tenant_id = @tenantId and id = 'main'", new { tenantId });
    }
}
