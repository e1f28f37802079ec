using Telephony.Core.Tenancy;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

public sealed class TenantRepositoryTests(TestDatabase database)
{
    [Fact]
    public async Task Link_status_reports_changes_only_and_a_silent_bridge_is_marked_disconnected()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var tenants = new TenantRepository(database.DataSource);

        Assert.True(await tenants.SetLinkStatusAsync(tenant.TenantId, "main", true, null, ct));
        Assert.False(await tenants.SetLinkStatusAsync(tenant.TenantId, "main", true, null, ct));
        Assert.DoesNotContain((tenant.TenantId, "main"), await tenants.ExpireSilentLinksAsync(TimeSpan.FromMinutes(5), "silent", ct));

        var expired = await tenants.ExpireSilentLinksAsync(TimeSpan.Zero, "silent", ct);

        Assert.Contains((tenant.TenantId, "main"), expired);
        var pbx = await tenants.FindPbxAsync(tenant.TenantId, "main", ct);
        Assert.False(pbx!.Connected);
        Assert.Equal("silent", pbx.LinkReason);
    }

    [Fact]
    public async Task Keys_are_found_by_their_hash_only_under_the_same_pepper()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var peppered = new ApiKeyRepository(database.DataSource, "another-pepper");
        var key = ApiKeyRepository.NewKey();
        await peppered.AddAsync(tenant.TenantId, ApiKeyRole.Agent, null, "k", key, ct);

        Assert.Equal(tenant.TenantId, (await peppered.FindAsync(key, ct))?.TenantId);
        Assert.Null(await new ApiKeyRepository(database.DataSource).FindAsync(key, ct));
    }
}
