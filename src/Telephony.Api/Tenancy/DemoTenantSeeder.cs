using Microsoft.Extensions.Options;
using Telephony.Api.Customers;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Tenancy;

internal sealed class DemoTenantSeeder(IOptions<DemoTenantOptions> options, TenantRepository tenants, ApiKeyRepository keys, DemoCustomerSeeder customers)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (string.IsNullOrEmpty(demo.AgentKey) || string.IsNullOrEmpty(demo.BridgeKey))
        {
            return;
        }

        await tenants.EnsureTenantAsync(DemoTenantOptions.TenantId, "Demo restaurant", cancellationToken);
        await tenants.EnsurePbxAsync(DemoTenantOptions.TenantId, new PbxRecord
        {
            Id = DemoTenantOptions.PbxId,
            Name = "Demo PBX",
            TimeZone = demo.TimeZone,
            DefaultRegion = demo.DefaultRegion,
            DateFormat = demo.DateFormat,
        }, cancellationToken);
        await keys.AddAsync(DemoTenantOptions.TenantId, ApiKeyRole.Agent, null, "demo agent", demo.AgentKey, cancellationToken);
        await keys.AddAsync(DemoTenantOptions.TenantId, ApiKeyRole.Bridge, DemoTenantOptions.PbxId, "demo bridge", demo.BridgeKey, cancellationToken);
        await customers.SeedAsync(DemoTenantOptions.TenantId, cancellationToken);
    }
}
