using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Http;

// Issue 10: keyset paging (cursor / nextCursor) and the capped total, on the wire and in the OpenAPI document.
public sealed class HistoryPagingApiTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Next_cursor_walks_the_history_page_by_page_and_the_last_page_has_none()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var day = new DateTime(2026, 8, 3, 10, 0, 0);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, [.. Enumerable.Range(0, 5).Select(i =>
            PbxFrames.Cdr($"1950000000.{i}", $"8999000000{i}", "1001", "ANSWERED", "Inbound", day.AddMinutes(i), 40, 30))]);
        await Eventually.GetAsync(agent, "api/calls/logs", page => page.GetProperty("total").GetInt64() == 5);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await agent.GetFromJsonAsync<JsonElement>(cursor is null ? "api/calls/logs?limit=2" : $"api/calls/logs?limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct);
            Assert.Equal(5, page.GetProperty("total").GetInt64());
            Assert.False(page.GetProperty("totalCapped").GetBoolean());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("pbxCallId").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(["1950000000.4", "1950000000.3", "1950000000.2", "1950000000.1", "1950000000.0"], seen);
    }

    [Fact]
    public async Task A_cursor_that_this_api_did_not_give_is_a_400_naming_the_field()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var response = await agent.GetAsync("api/calls/logs?cursor=garbage", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), problem.GetRawText());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_cursor_and_the_capped_total()
    {
        using var client = api.CreateAnonymousClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json", Ct)).RootElement;
        var logs = document.GetProperty("paths").GetProperty("/api/calls/logs").GetProperty("get");
        Assert.Contains(logs.GetProperty("parameters").EnumerateArray(), p => string.Equals(p.GetProperty("name").GetString(), "cursor", StringComparison.OrdinalIgnoreCase));
        var page = document.GetProperty("components").GetProperty("schemas").GetProperty("CallPageDto").GetProperty("properties");
        Assert.Contains("cap", page.GetProperty("totalCapped").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("totalCapped", page.GetProperty("total").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(page.TryGetProperty("nextCursor", out _));
    }
}
