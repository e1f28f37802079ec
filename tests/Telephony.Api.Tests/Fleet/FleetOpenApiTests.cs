using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Api.Tests.Fleet;

public sealed class FleetOpenApiTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task The_openapi_document_describes_the_write_only_secret_and_the_fleet_endpoints()
    {
        using var client = api.CreateAnonymousClient();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json", TestContext.Current.CancellationToken);

        var put = document.GetProperty("components").GetProperty("schemas").GetProperty("PutPbxRequest").GetProperty("properties");
        Assert.Contains("Leave out or null to keep the stored one", put.GetProperty("clientSecret").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("colons optional", put.GetProperty("tlsFingerprint").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/fleet/pbxes", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/fleet/tenants/{tenantId}/pbxes/{pbxId}/lease", out _));
    }
}
