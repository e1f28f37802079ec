using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Fleet;

/// <summary>A tenant whose PBX has a fleet connection, and a fleet key: what every fleet test starts from.</summary>
public static class FleetSetup
{
    public static async Task<string> CreateFleetKeyAsync(TelephonyApiFactory api)
    {
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var response = await root.PostAsJsonAsync("api/admin/fleet-keys", new { name = "fleet bridge" }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("key").GetString()!;
    }

    /// <summary>A fresh tenant whose PBX <c>main</c> has a connection (host, client id and <paramref name="secret"/>).</summary>
    public static async Task<TestTenant> ConnectedTenantAsync(TelephonyApiFactory api, string secret = "pbx-client-secret-value")
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var response = await root.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main", Connection(secret), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return tenant;
    }

    public static object Connection(string? secret) => new
    {
        name = "Kitchen PBX",
        kind = "p-series",
        timeZone = "Europe/Moscow",
        defaultRegion = "RU",
        host = "pbx.example.test",
        port = 8088,
        clientId = "api-client",
        clientSecret = secret,
    };

    public static HttpRequestMessage Fenced(HttpMethod method, string url, string tenantId, string bridgeId, long epoch, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Telephony-Tenant", tenantId);
        request.Headers.Add("X-Telephony-Bridge-Id", bridgeId);
        request.Headers.Add("X-Telephony-Lease-Epoch", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }
}
