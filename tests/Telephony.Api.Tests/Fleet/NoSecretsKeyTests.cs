using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Fleet;

public sealed class NoSecretsKeyTests(NoSecretsKeyApiFactory api) : IClassFixture<NoSecretsKeyApiFactory>
{
    [Fact]
    public async Task A_client_secret_sent_to_a_server_without_a_secrets_key_is_refused_with_503_and_nothing_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);

        using var response = await root.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main", FleetSetup.Connection("a-secret"), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains("no secrets key", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("TELEPHONY_SECRETS_KEY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var pbx = (await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/pbxes", ct))[0];
        Assert.Equal(JsonValueKind.Null, pbx.GetProperty("host").ValueKind);
        Assert.False(pbx.GetProperty("hasClientSecret").GetBoolean());
    }
}
