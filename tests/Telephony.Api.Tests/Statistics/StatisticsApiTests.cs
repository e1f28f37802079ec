using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Statistics;

public sealed class StatisticsApiTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_count_outcomes_time_to_answer_service_level_and_conversion()
    {
        var tenant = await TestTenant.CreateAsync(api.Database, timeZone: "Europe/Moscow");
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var day = new DateTime(2026, 5, 10, 10, 0, 0);
        await PbxFrames.PostAsync(
            bridge,
            tenant.PbxId,
            PbxFrames.Cdr("1800000000.1", "89990000001", "1001", "ANSWERED", "Inbound", day, callSeconds: 70, talkSeconds: 60),   // ring 10: within SLA 20
            PbxFrames.Cdr("1800000000.2", "89990000002", "1001", "ANSWERED", "Inbound", day.AddHours(1), 130, 100),                 // ring 30: outside SLA
            PbxFrames.Cdr("1800000000.3", "89990000003", "1001", "NO ANSWER", "Inbound", day.AddHours(2), 3, 0),                   // short abandon
            PbxFrames.Cdr("1800000000.4", "89990000004", "1002", "NO ANSWER", "Inbound", day.AddHours(2), 25, 0),                  // missed
            PbxFrames.Cdr("1800000000.5", "1001", "89990000005", "BUSY", "Outbound", day.AddHours(3), 5, 0),
            PbxFrames.Cdr("1800000000.6", "1001", "1002", "ANSWERED", "Internal", day.AddDays(40), 20, 15));                        // outside the range
        (await agent.PostAsJsonAsync("api/calls/1800000000.1/order", new { orderId = "o-1" }, Ct)).EnsureSuccessStatusCode();

        var stats = await agent.GetFromJsonAsync<JsonElement>("api/calls/stats?from=2026-05-10&to=2026-05-10&groupBy=extension", Ct);
        var totals = stats.GetProperty("totals");
        Assert.Equal(5, totals.GetProperty("totalCalls").GetInt64());
        Assert.Equal(4, totals.GetProperty("inbound").GetInt64());
        Assert.Equal(2, totals.GetProperty("answered").GetInt64());
        Assert.Equal(2, totals.GetProperty("missed").GetInt64());
        Assert.Equal(1, totals.GetProperty("busy").GetInt64());
        Assert.Equal(20, totals.GetProperty("avgRingSeconds").GetDouble());
        Assert.Equal(160, totals.GetProperty("totalTalkSeconds").GetInt64());
        Assert.Equal(1, totals.GetProperty("shortAbandons").GetInt64());
        Assert.Equal(Math.Round(1.0 / 3, 4), totals.GetProperty("serviceLevel").GetDouble());   // 1 of (4 inbound - 1 short abandon)
        Assert.Equal(0.5, totals.GetProperty("conversionRate").GetDouble());
        Assert.Equal(1, totals.GetProperty("ordersLinked").GetInt64());

        var perExtension = stats.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(4, perExtension["1001"].GetProperty("totalCalls").GetInt64());
        Assert.Equal(1, perExtension["1002"].GetProperty("missed").GetInt64());

        var one = await agent.GetFromJsonAsync<JsonElement>("api/calls/stats/1001?from=2026-05-10&to=2026-05-10&slaSeconds=30", Ct);
        Assert.Equal(2, one.GetProperty("totals").GetProperty("answered").GetInt64());
        Assert.Equal(1.0, one.GetProperty("totals").GetProperty("serviceLevel").GetDouble());
    }

    [Fact]
    public async Task A_missed_ring_group_call_counts_for_the_group_not_for_each_phone_and_the_answerer_gets_credit()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulator.PbxSimulatorOptions { TimeScale = 20, IdleTimeout = TimeSpan.FromMinutes(10) }, Ct);
        var missed = await CaptureFramesAsync(pbx, () => pbx.StartInboundRingGroupCall("89990000010", ["1001", "1002", "1003"], "6300", TimeSpan.FromSeconds(10), null, null));
        var answered = await CaptureFramesAsync(pbx, () => pbx.StartInboundRingGroupCall("89990000011", ["1001", "1002", "1003"], "6300", TimeSpan.FromSeconds(4), "1002", TimeSpan.FromSeconds(30)));
        await PbxFrames.PostAsync(bridge, tenant.PbxId, [.. missed, .. answered]);

        var stats = await agent.GetFromJsonAsync<JsonElement>($"api/calls/stats?from={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&to={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}&groupBy=extension", Ct);
        var groups = stats.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(1, groups["6300"].GetProperty("missed").GetInt64());
        Assert.Equal(1, groups["1002"].GetProperty("answered").GetInt64());
        Assert.False(groups.ContainsKey("1001"));
        Assert.False(groups.ContainsKey("1003"));
    }

    [Fact]
    public async Task A_satisfaction_survey_is_stored_on_its_call_and_averaged_per_operator()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var survey = PbxFrames.Fixture("p-30019-satisfaction.json");
        var surveyedCallId = System.Text.Json.Nodes.JsonNode.Parse(survey["msg"]!.GetValue<string>())!["call_id"]!.GetValue<string>();
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr(surveyedCallId, "89990000001", "1001", "ANSWERED", "Inbound", new DateTime(2026, 7, 1, 12, 0, 0), 70, 60), survey);

        var call = await Eventually.GetAsync(agent, $"api/calls/{surveyedCallId}", c => c.GetProperty("satisfaction").ValueKind == JsonValueKind.String);
        var result = call.GetProperty("satisfaction").GetString()!;
        var stats = await agent.GetFromJsonAsync<JsonElement>("api/calls/stats/1001?from=2026-07-01&to=2026-07-01", Ct);
        Assert.Equal(1, stats.GetProperty("totals").GetProperty("surveyed").GetInt64());
        Assert.Equal(double.Parse(result, System.Globalization.CultureInfo.InvariantCulture), stats.GetProperty("totals").GetProperty("avgSatisfaction").GetDouble());
    }

    [Theory]
    [InlineData("from=2026-05-10&to=2026-05-01", "to")]
    [InlineData("from=yesterday", "from")]
    [InlineData("groupBy=week", "groupBy")]
    [InlineData("slaSeconds=0", "slaSeconds")]
    [InlineData("from=2020-01-01&to=2026-01-01", "to")]
    public async Task Bad_ranges_and_groupings_are_400_naming_the_field(string query, string field)
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var response = await agent.GetAsync($"api/calls/stats?{query}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    // The simulator's own frames, captured over a raw subscription, replayed into the API.
    private static async Task<List<JsonNode>> CaptureFramesAsync(PbxSimulator.PbxSimulator pbx, Func<string> start)
    {
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("OpenAPI");
        var opts = new PbxSimulator.PbxSimulatorOptions();
        var token = (await (await http.PostAsJsonAsync("openapi/v1.0/get_token", new { username = opts.ClientId, password = opts.ClientSecret }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{pbx.BaseUrl.Authority}/openapi/v1.0/subscribe?access_token={token}"), Ct);
        await socket.SendAsync("""{"topic_list":[30011,30012,30015]}"""u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, Ct);
        var frames = new List<JsonNode>();
        var buffer = new byte[64 * 1024];
        var reply = await socket.ReceiveAsync(buffer, Ct);
        Assert.Contains("SUCCESS", System.Text.Encoding.UTF8.GetString(buffer, 0, reply.Count), StringComparison.Ordinal);
        start();
        var cdrs = 0;
        while (cdrs < 1)
        {
            var result = await socket.ReceiveAsync(buffer, Ct);
            var node = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count))!;
            frames.Add(node);
            if (node["type"]?.GetValue<int>() == 30012)
            {
                cdrs++;
            }
        }

        return frames;
    }
}
