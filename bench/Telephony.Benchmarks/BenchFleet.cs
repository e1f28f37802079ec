using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Benchmarks;

/// <summary>One bench PBX: its tenant, its id and the bridge key that may post its frames.</summary>
internal sealed record BenchPbx(string TenantId, string PbxId, string BridgeKey);

/// <summary>Tenants, PBXs and keys made through the admin API, as an operator would.</summary>
internal sealed class BenchFleet
{
    private BenchFleet(IReadOnlyList<BenchPbx> pbxes, IReadOnlyDictionary<string, string> agentKeys)
    {
        Pbxes = pbxes;
        AgentKeys = agentKeys;
    }

    public IReadOnlyList<BenchPbx> Pbxes { get; }

    /// <summary>An agent key per tenant.</summary>
    public IReadOnlyDictionary<string, string> AgentKeys { get; }

    public static async Task<BenchFleet> CreateAsync(Uri api, int tenants, int pbxesPerTenant)
    {
        using var admin = Client(api, ApiProcess.AdminKey);
        var pbxes = new List<BenchPbx>();
        var agents = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var t = 0; t < tenants; t++)
        {
            var tenantId = $"bench-{t:D2}";
            (await admin.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = $"Bench chain {t}" })).EnsureSuccessStatusCode();
            agents[tenantId] = await KeyAsync(admin, tenantId, new { role = "agent", name = "bench agent" });
            for (var p = 0; p < pbxesPerTenant; p++)
            {
                var pbxId = $"site-{p:D2}";
                (await admin.PutAsJsonAsync($"api/admin/tenants/{tenantId}/pbxes/{pbxId}", new { name = $"Site {p}", kind = "p-series", timeZone = "Europe/Moscow", defaultRegion = "RU" })).EnsureSuccessStatusCode();
                pbxes.Add(new BenchPbx(tenantId, pbxId, await KeyAsync(admin, tenantId, new { role = "bridge", name = $"bench bridge {pbxId}", pbxId })));
            }
        }

        return new BenchFleet(pbxes, agents);
    }

    public static HttpClient Client(Uri api, string key)
    {
        var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<string> KeyAsync(HttpClient admin, string tenantId, object request)
    {
        using var response = await admin.PostAsJsonAsync($"api/admin/tenants/{tenantId}/keys", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
