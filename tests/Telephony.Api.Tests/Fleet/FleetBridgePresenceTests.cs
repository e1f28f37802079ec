using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Fleet;

/// <summary>Issue 11 §3: fleet bridges announce themselves, so a newcomer holding no lease still counts in the fair share.</summary>
public sealed class FleetBridgePresenceTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_announcement_answers_every_bridge_alive_and_one_silent_for_the_window_is_gone()
    {
        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        var (a, b) = ($"bridge-{Guid.NewGuid():N}", $"bridge-{Guid.NewGuid():N}");

        var first = await AnnounceAsync(fleet, a);
        Assert.Contains(a, first.Bridges);
        Assert.DoesNotContain(b, first.Bridges);
        Assert.Equal(30, first.WindowSeconds);

        var second = await AnnounceAsync(fleet, b);
        Assert.Contains(a, second.Bridges);
        Assert.Contains(b, second.Bridges);

        // a falls silent for longer than the window.
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("update fleet_bridges set seen_at = now() - interval '31 seconds' where bridge_id = @a", new { a });
        }

        var third = await AnnounceAsync(fleet, b);
        Assert.DoesNotContain(a, third.Bridges);
        Assert.Contains(b, third.Bridges);
    }

    [Fact]
    public async Task Only_fleet_keys_announce_and_a_bridge_id_too_long_for_a_lease_is_refused_as_a_problem()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var refused = await agent.PutAsync("api/fleet/bridges/bridge-x", content: null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var fleet = api.CreateClient(await FleetSetup.CreateFleetKeyAsync(api));
        using var tooLong = await fleet.PutAsync($"api/fleet/bridges/{new string('b', 201)}", content: null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bridgeId", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task<(string[] Bridges, int WindowSeconds)> AnnounceAsync(HttpClient fleet, string bridgeId)
    {
        using var response = await fleet.PutAsync($"api/fleet/bridges/{bridgeId}", content: null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return ([.. body.GetProperty("bridges").EnumerateArray().Select(e => e.GetString()!)], body.GetProperty("windowSeconds").GetInt32());
    }
}
