using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>Issue 9: what real PBXs send reaches the call log right, and calls can be found by the numbers PBXs write.</summary>
public sealed class RealPbxPayloadIngestTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backfilled_row_without_a_timestamp_is_dated_in_the_pbx_date_order_set_by_the_admin()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);

        await PutPbxAsync(root, tenant, "DD/MM/YYYY");
        await PostBackfillRowAsync(bridge, tenant, "1759587026.1", "04/10/2025 03:10:26 PM");
        var dayFirst = await Eventually.GetAsync(agent, "api/calls/1759587026.1", Ended);

        // Changing the setting takes effect at once for later rows (the cached value is forgotten).
        await PutPbxAsync(root, tenant, "MM/DD/YYYY");
        await PostBackfillRowAsync(bridge, tenant, "1759587026.2", "04/10/2025 03:10:26 PM");
        var monthFirst = await Eventually.GetAsync(agent, "api/calls/1759587026.2", Ended);

        // The PBX is in Moscow (UTC+3): 15:10:26 local is 12:10:26 UTC.
        Assert.Equal(new DateTimeOffset(2025, 10, 4, 12, 10, 26, TimeSpan.Zero), dayFirst.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2025, 4, 10, 12, 10, 26, TimeSpan.Zero), monthFirst.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal("answered", dayFirst.GetProperty("outcome").GetString());
        var pbx = await root.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/pbxes", Ct);
        Assert.Equal("MM/DD/YYYY", pbx[0].GetProperty("dateFormat").GetString());
    }

    [Fact]
    public async Task Ambiguous_row_time_without_the_setting_is_journaled_as_a_parse_error_not_misdated()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);

        var response = await PostBackfillRowAsync(bridge, tenant, "1759587026.3", "04/10/2025 03:10:26 PM");

        Assert.Equal(1, response.GetProperty("parseErrors").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("api/calls/1759587026.3", Ct)).StatusCode);
        await using var command = api.Database.DataSource.CreateCommand("select parse_error from pbx_event_journal where tenant_id = $1");
        command.Parameters.AddWithValue(tenant.TenantId);
        Assert.Contains("set the PBX's dateFormat", (string?)await command.ExecuteScalarAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Kitchen","kind":"p-series","timeZone":"Europe/Moscow","defaultRegion":"RU","dateFormat":"DD.MM.YY"}""")]
    [InlineData("""{"name":"Kitchen","kind":"p-series","timeZone":"Europe/Moscow","defaultRegion":"RU","dateFormat":"day first"}""")]
    public async Task Unknown_date_formats_are_refused_naming_the_ones_there_are(string body)
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var root = api.CreateClient(TelephonyApiFactory.AdminKey);

        using var response = await root.PutAsync($"api/admin/tenants/{tenant.TenantId}/pbxes/main", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("MM/DD/YYYY, DD/MM/YYYY or YYYY/MM/DD", errors.GetProperty("dateFormat")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_call_with_null_members_ends_the_call_as_failed()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var ringing = PbxFrames.Fixture("p-30011-ringing-outbound.json");
        var callId = JsonNode.Parse(ringing["msg"]!.GetValue<string>())!["call_id"]!.GetValue<string>();
        var failed = new JsonObject
        {
            ["type"] = 30015,
            ["sn"] = "3631A2124XXX",
            ["msg"] = new JsonObject { ["call_id"] = callId, ["reason"] = "NOT found", ["members"] = null }.ToJsonString(),
        };

        var response = await PbxFrames.PostAsync(bridge, tenant.PbxId, ringing, failed);

        Assert.Equal(0, response.GetProperty("parseErrors").GetInt32());
        var call = await Eventually.GetAsync(agent, $"api/calls/{callId}", c => c.GetProperty("outcome").GetString() == "failed");
        Assert.Equal(("ended", "outbound"), (call.GetProperty("status").GetString(), call.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task Calls_are_found_by_numbers_that_do_not_normalise_as_the_pbx_wrote_them()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var start = new DateTime(2026, 3, 10, 12, 0, 0);
        await PbxFrames.PostAsync(
            bridge,
            tenant.PbxId,
            PbxFrames.Cdr("1773133200.1", "1001", "1002", "ANSWERED", "Internal", start, 30, 20),
            PbxFrames.Cdr("1773133200.2", "1001", "112", "ANSWERED", "Outbound", start.AddMinutes(1), 30, 20),
            PbxFrames.Cdr("1773133200.3", "+15550100", "1002", "NO ANSWER", "Inbound", start.AddMinutes(2), 10, 0));
        await Eventually.GetAsync(agent, "api/calls/logs", page => page.GetProperty("total").GetInt64() == 3);

        async Task<string[]> FoundAsync(string number) =>
            [.. (await agent.GetFromJsonAsync<JsonElement>($"api/calls/logs/phone/{Uri.EscapeDataString(number)}", Ct))
                .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("pbxCallId").GetString()!).Order(StringComparer.Ordinal)];

        Assert.Equal(["1773133200.1", "1773133200.2"], await FoundAsync("1001"));
        Assert.Equal(["1773133200.1", "1773133200.3"], await FoundAsync("1002"));
        Assert.Equal(["1773133200.2"], await FoundAsync("112"));
        Assert.Equal(["1773133200.3"], await FoundAsync("+15550100"));
        Assert.Equal(["1773133200.3"], await FoundAsync("15550100"));
        Assert.Empty(await FoundAsync("1003"));
        using var noDigits = await agent.GetAsync("api/calls/logs/phone/front-desk", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noDigits.StatusCode);
        Assert.Equal("application/problem+json", noDigits.Content.Headers.ContentType?.MediaType);
    }

    private static bool Ended(JsonElement call) => call.GetProperty("status").GetString() == "ended";

    private static async Task PutPbxAsync(HttpClient root, TestTenant tenant, string dateFormat)
    {
        using var response = await root.PutAsJsonAsync(
            $"api/admin/tenants/{tenant.TenantId}/pbxes/{tenant.PbxId}",
            new { name = "Test PBX", kind = "p-series", timeZone = "Europe/Moscow", defaultRegion = "RU", dateFormat },
            Ct);
        response.EnsureSuccessStatusCode();
    }

    // A cdr/search row as an older firmware writes it: no Unix timestamp, the time in the PBX's display format.
    private static async Task<JsonElement> PostBackfillRowAsync(HttpClient bridge, TestTenant tenant, string callId, string time)
    {
        var row = new JsonObject
        {
            ["id"] = 1,
            ["time"] = time,
            ["call_from"] = "89161234567<89161234567>",
            ["call_to"] = "Front desk<2002>",
            ["duration"] = 40,
            ["ring_duration"] = 10,
            ["talk_duration"] = 30,
            ["disposition"] = "ANSWERED",
            ["call_type"] = "Inbound",
            ["src_trunk"] = "siptrunk",
            ["call_id"] = callId,
        };
        var body = new JsonObject
        {
            ["bridgeId"] = "test-bridge",
            ["events"] = new JsonArray(new JsonObject { ["seq"] = Random.Shared.NextInt64(1, long.MaxValue), ["source"] = "cdr-backfill", ["frame"] = row }),
        };
        using var response = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
