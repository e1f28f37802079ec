using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

public sealed class PbxEventsApiTests(TelephonyApiFactory api)
{
    private static readonly string Fixtures = FixturePaths.Folder;

    [Fact]
    public async Task Request_without_a_bridge_key_gets_401_problem_details()
    {
        using var client = api.CreateAnonymousClient();
        using var response = await client.PostAsJsonAsync("api/pbx/main/events", new { bridgeId = "b", events = Array.Empty<object>() }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Agent_key_cannot_post_frames()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.AgentKey);
        using var response = await client.PostAsJsonAsync("api/pbx/main/events", new { bridgeId = "b", events = Array.Empty<object>() }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Bad_frames_are_journaled_with_a_parse_error_and_the_rest_of_the_batch_is_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.BridgeKey);
        var now = DateTimeOffset.UtcNow;
        var batch = new JsonObject
        {
            ["bridgeId"] = "test-bridge",
            ["events"] = new JsonArray(
                Item(1, now, JsonNode.Parse("""{"type":30011,"sn":"x","msg":"{not json"}""")),
                Item(2, now, JsonValue.Create("this is not even JSON {")),
                Item(3, now, JsonNode.Parse("""{"type":39999,"sn":"x","msg":"{}"}""")),
                Item(4, now, JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures, "p-30012-cdr-answered-inbound.json"))))),
        };

        using var response = await client.PostAsync("api/pbx/main/events", Json(batch), ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal([1L, 2L, 3L, 4L], body.GetProperty("accepted").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(3, body.GetProperty("parseErrors").GetInt32());

        await using var connection = await api.Database.DataSource.OpenConnectionAsync(ct);
        var errors = await connection.ExecuteScalarAsync<long>("select count(*) from pbx_event_journal where tenant_id = @TenantId and parse_error is not null", new { tenant.TenantId });
        Assert.Equal(3, errors);
        var call = await connection.QuerySingleAsync<(string Outcome, int TalkSeconds)>(
            "select outcome, talk_seconds from call_logs where tenant_id = @TenantId and pbx_call_id = '1648861726.280'", new { tenant.TenantId });
        Assert.Equal(("answered", 30), call);
    }

    [Fact]
    public async Task Replaying_the_same_batch_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.BridgeKey);
        var at = DateTimeOffset.UtcNow;
        var batch = new JsonObject
        {
            ["bridgeId"] = "test-bridge",
            ["events"] = new JsonArray(
                Item(10, at, JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures, "p-30011-ringing-inbound.json")))),
                Item(11, at.AddSeconds(5), JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures, "p-30011-answered-inbound.json"))))),
        };

        (await client.PostAsync("api/pbx/main/events", Json(batch), ct)).EnsureSuccessStatusCode();
        using var again = await client.PostAsync("api/pbx/main/events", Json(batch), ct);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, body.GetProperty("duplicates").GetInt32());

        await using var connection = await api.Database.DataSource.OpenConnectionAsync(ct);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("select count(*) from pbx_event_journal where tenant_id = @TenantId", new { tenant.TenantId }));

        // The answer may come before the apply on a busy machine (a request waits for it at most 500 ms).
        const string CountCalls = "select count(*) from call_logs where tenant_id = @TenantId";
        for (var i = 0; i < 200 && await connection.ExecuteScalarAsync<long>(CountCalls, new { tenant.TenantId }) == 0; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(CountCalls, new { tenant.TenantId }));
    }

    [Fact]
    public async Task A_batch_without_seq_is_refused_with_the_field_named()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.BridgeKey);
        using var response = await client.PostAsync("api/pbx/main/events", new StringContent("""{"bridgeId":"b","events":[{"frame":{}}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("events[0].seq", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bridge_key_of_one_pbx_cannot_post_for_another()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.BridgeKey);
        using var response = await client.PostAsJsonAsync("api/pbx/other/events", new { bridgeId = "b", events = Array.Empty<object>() }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static JsonObject Item(long seq, DateTimeOffset receivedAt, JsonNode? frame) =>
        new() { ["seq"] = seq, ["receivedAt"] = receivedAt, ["source"] = "websocket", ["frame"] = frame };

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}
