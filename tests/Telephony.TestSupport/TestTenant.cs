using Telephony.Core.Tenancy;

namespace Telephony.TestSupport;

/// <summary>A tenant of its own per test, so tests run in parallel on one database and can count exactly.</summary>
public sealed record TestTenant(string TenantId, string PbxId, string AgentKey, string BridgeKey)
{
    public static async Task<TestTenant> CreateAsync(TestDatabase database, string timeZone = "Europe/Moscow", string region = "RU", string? dateFormat = null)
    {
        var tenantId = $"t{Guid.NewGuid():N}"[..17];
        var tenants = new TenantRepository(database.DataSource);
        var keys = new ApiKeyRepository(database.DataSource);
        await tenants.EnsureTenantAsync(tenantId, $"Test {tenantId}", CancellationToken.None);
        await tenants.EnsurePbxAsync(tenantId, new PbxRecord { Id = "main", Name = "Test PBX", TimeZone = timeZone, DefaultRegion = region, DateFormat = dateFormat }, CancellationToken.None);
        var agentKey = ApiKeyRepository.NewKey();
        var bridgeKey = ApiKeyRepository.NewKey();
        await keys.AddAsync(tenantId, ApiKeyRole.Agent, null, "test agent", agentKey, CancellationToken.None);
        await keys.AddAsync(tenantId, ApiKeyRole.Bridge, "main", "test bridge", bridgeKey, CancellationToken.None);
        return new TestTenant(tenantId, "main", agentKey, bridgeKey);
    }
}
