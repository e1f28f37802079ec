using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Telephony.Core.Storage;

namespace Telephony.Api.Tests.Fleet;

/// <summary>Issue 11 §3: one lease per PBX with a fencing epoch; only its holder posts for the PBX.</summary>
public sealed class LeaseTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_is_acquired_renewed_refused_to_others_released_and_then_taken_at_a_higher_epoch()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        var url = $"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease";

        var acquired = await LeaseAsync(fleet, url, new { bridgeId = "bridge-a", ttlSeconds = 30 }, HttpStatusCode.OK);
        Assert.Equal("bridge-a", acquired.GetProperty("holder").GetString());
        var epoch = acquired.GetProperty("epoch").GetInt64();

        var renewed = await LeaseAsync(fleet, url, new { bridgeId = "bridge-a", epoch, ttlSeconds = 120 }, HttpStatusCode.OK);
        Assert.Equal(epoch, renewed.GetProperty("epoch").GetInt64());
        Assert.True(renewed.GetProperty("expiresAt").GetDateTimeOffset() > acquired.GetProperty("expiresAt").GetDateTimeOffset());

        var refused = await LeaseAsync(fleet, url, new { bridgeId = "bridge-b" }, HttpStatusCode.Conflict);
        Assert.Equal("bridge-a", refused.GetProperty("holder").GetString());
        Assert.Equal(epoch, refused.GetProperty("epoch").GetInt64());
        Assert.Contains("bridge-a", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await LeaseAsync(fleet, url, new { bridgeId = "bridge-a", epoch = epoch + 7 }, HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.Conflict, (await fleet.DeleteAsync($"{url}?bridgeId=bridge-b&epoch={epoch}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fleet.DeleteAsync($"{url}?bridgeId=bridge-a&epoch={epoch}", Ct)).StatusCode);

        var taken = await LeaseAsync(fleet, url, new { bridgeId = "bridge-b" }, HttpStatusCode.OK);
        Assert.Equal("bridge-b", taken.GetProperty("holder").GetString());
        Assert.Equal(epoch + 1, taken.GetProperty("epoch").GetInt64());
        var listed = (await fleet.GetFromJsonAsync<JsonElement>("api/fleet/pbxes", Ct)).EnumerateArray().Single(p => p.GetProperty("tenantId").GetString() == tenant.TenantId);
        Assert.Equal("bridge-b", listed.GetProperty("lease").GetProperty("holder").GetString());
        Assert.Equal(epoch + 1, listed.GetProperty("lease").GetProperty("epoch").GetInt64());
    }

    [Fact]
    public async Task An_expired_lease_goes_to_the_next_bridge_at_a_new_epoch_and_the_old_holder_cannot_renew_it()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        var url = $"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease";
        var epoch = (await LeaseAsync(fleet, url, new { bridgeId = "bridge-a" }, HttpStatusCode.OK)).GetProperty("epoch").GetInt64();

        await ExpireLeaseAsync(tenant.TenantId);

        var taken = await LeaseAsync(fleet, url, new { bridgeId = "bridge-b" }, HttpStatusCode.OK);
        Assert.Equal(epoch + 1, taken.GetProperty("epoch").GetInt64());
        await LeaseAsync(fleet, url, new { bridgeId = "bridge-a", epoch }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Of_many_bridges_acquiring_at_once_exactly_one_wins()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        var key = await FleetSetup.CreateFleetKeyAsync(api);
        var url = $"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease";
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 16).Select(async i =>
        {
            using var client = api.CreateClient(key);
            await start.WaitAsync(Ct);
            using var response = await client.PostAsJsonAsync(url, new { bridgeId = $"bridge-{i}" }, Ct);
            return (Bridge: $"bridge-{i}", response.StatusCode);
        }).ToList();
        start.Release(attempts.Count);
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Bridge != winner.Bridge), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        var stored = await connection.QuerySingleAsync<(string Holder, long Epoch)>(
            "select holder, epoch from pbx_leases where tenant_id = @TenantId and pbx_id = 'main'", new { tenant.TenantId });
        Assert.Equal((winner.Bridge, 1L), stored);
    }

    [Fact]
    public async Task A_pbx_without_a_connection_is_not_leased()
    {
        var tenant = await Telephony.TestSupport.TestTenant.CreateAsync(api.Database);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));

        using var response = await fleet.PostAsJsonAsync($"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease", new { bridgeId = "bridge-a" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("select count(*) from pbx_leases where tenant_id = @TenantId", new { tenant.TenantId }));
    }

    [Fact]
    public async Task Events_posted_under_a_stale_epoch_are_refused_and_journal_nothing_and_the_current_holder_is_journaled()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        var url = $"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease";
        var stale = (await LeaseAsync(fleet, url, new { bridgeId = "bridge-a" }, HttpStatusCode.OK)).GetProperty("epoch").GetInt64();
        await ExpireLeaseAsync(tenant.TenantId);
        var current = (await LeaseAsync(fleet, url, new { bridgeId = "bridge-b" }, HttpStatusCode.OK)).GetProperty("epoch").GetInt64();
        var journal = new EventJournal(api.Database.DataSource);

        using var refused = await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Post, "api/pbx/main/events", tenant.TenantId, "bridge-a", stale, Batch("bridge-a", "1700000000.1")), Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("bridge-b", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, Ct));

        // The new holder's epoch with the old holder's id is not the lease either.
        using var impostor = await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Post, "api/pbx/main/events", tenant.TenantId, "bridge-a", current, Batch("bridge-a", "1700000000.2")), Ct);
        Assert.Equal(HttpStatusCode.Conflict, impostor.StatusCode);
        Assert.Equal(0, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, Ct));

        using var accepted = await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Post, "api/pbx/main/events", tenant.TenantId, "bridge-b", current, Batch("bridge-b", "1700000000.3")), Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, Ct));
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        Assert.Equal("bridge-b", await connection.ExecuteScalarAsync<string>("select bridge_id from pbx_event_journal where tenant_id = @TenantId", new { tenant.TenantId }));
    }

    [Fact]
    public async Task Link_extensions_and_commands_need_the_current_lease_too()
    {
        var tenant = await FleetSetup.ConnectedTenantAsync(api);
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        var url = $"api/fleet/tenants/{tenant.TenantId}/pbxes/main/lease";
        var epoch = (await LeaseAsync(fleet, url, new { bridgeId = "bridge-a" }, HttpStatusCode.OK)).GetProperty("epoch").GetInt64();
        var extensions = new { extensions = new[] { new { number = "1001", name = "Front desk" } } };

        using (var stale = await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Put, "api/pbx/main/extensions", tenant.TenantId, "bridge-a", epoch + 1, extensions), Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        using (var agent = api.CreateClient(tenant.AgentKey))
        {
            Assert.Empty((await agent.GetFromJsonAsync<JsonElement>("api/extensions", Ct)).EnumerateArray());
        }

        Assert.Equal(HttpStatusCode.Conflict, (await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Get, "api/pbx/main/commands?wait=0", tenant.TenantId, "bridge-a", epoch + 1), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Put, "api/pbx/main/extensions", tenant.TenantId, "bridge-a", epoch, extensions), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Post, "api/pbx/main/link", tenant.TenantId, "bridge-a", epoch, new { connected = true }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fleet.SendAsync(FleetSetup.Fenced(HttpMethod.Get, "api/pbx/main/commands?wait=0", tenant.TenantId, "bridge-a", epoch), Ct)).StatusCode);

        using var agentAfter = api.CreateClient(tenant.AgentKey);
        var listed = await agentAfter.GetFromJsonAsync<JsonElement>("api/extensions", Ct);
        Assert.Equal("1001", Assert.Single(listed.EnumerateArray()).GetProperty("number").GetString());
    }

    private static async Task<JsonElement> LeaseAsync(HttpClient fleet, string url, object body, HttpStatusCode expected)
    {
        using var response = await fleet.PostAsJsonAsync(url, body, Ct);
        Assert.Equal(expected, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return json;
    }

    // The lease's clock is the database's: a test moves a lease past its end instead of waiting for it.
    private async Task ExpireLeaseAsync(string tenantId)
    {
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync("update pbx_leases set expires_at = now() - interval '1 second' where tenant_id = @tenantId and pbx_id = 'main'", new { tenantId });
    }

    private static object Batch(string bridgeId, string callId) => new
    {
        bridgeId,
        events = new[] { new { seq = 1L, frame = PbxFrames.Ringing(callId, "+79001234567", "1001") } },
    };
}
