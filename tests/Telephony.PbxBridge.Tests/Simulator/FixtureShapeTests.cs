using System.Text.Json;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Rule 35: the simulator never invents fields, so every payload must have the shape of its Yeastar fixture.
public sealed class FixtureShapeTests
{
    private static PbxSimulatorOptions Fast() => new() { TimeScale = 30, Seed = 3 };

    [Fact]
    public async Task Inbound_call_events_have_the_fixture_shapes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30008, 30011, 30012], ct);

        simulator.StartInboundCall("5503301", "1002", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));
        var frames = await ReadUntilCdrAsync(socket, ct);

        var byType = frames.ToLookup(f => f.GetProperty("type").GetInt32());
        JsonShape.AssertFrameMatches("p-30011-ringing-inbound.json", byType[30011].First());
        JsonShape.AssertFrameMatches("p-30011-answered-inbound.json", byType[30011].ElementAt(1));
        JsonShape.AssertFrameMatches("p-30011-bye-inbound.json", byType[30011].Last());
        JsonShape.AssertFrameMatches("p-30008-extension-ringing.json", byType[30008].First());
        JsonShape.AssertFrameMatches("p-30008-extension-idle.json", byType[30008].Last());
        JsonShape.AssertFrameMatches("p-30012-cdr-answered-inbound.json", byType[30012].Single());
        Assert.Equal("Idle", SimulatorClient.Msg(byType[30008].Last()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Busy_outbound_events_have_the_fixture_shapes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012, 30015], ct);

        simulator.StartOutboundCall("1005", "5503302", TimeSpan.FromSeconds(2), talkFor: null, busy: true);
        var frames = await ReadUntilCdrAsync(socket, ct);

        JsonShape.AssertFrameMatches("p-30011-ringing-outbound.json", frames[0]);
        JsonShape.AssertFrameMatches("p-30015-call-failed-busy.json", frames.Single(f => f.GetProperty("type").GetInt32() == 30015));
        JsonShape.AssertFrameMatches("p-30012-cdr-busy-outbound.json", frames[^1]);
    }

    [Fact]
    public async Task Rest_responses_have_the_fixture_shapes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        var tokens = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);
        AssertMatches("p-get-token-response.json", tokens);
        var token = tokens.GetProperty("access_token").GetString();
        AssertMatches("p-refresh-token-response.json", await client.PostAsync(
            "openapi/v1.0/refresh_token", new { refresh_token = tokens.GetProperty("refresh_token").GetString() }, ct));

        var extensions = await client.GetAsync($"openapi/v1.0/extension/list?access_token={token}", ct);
        Assert.Equal(
            JsonShape.Of(JsonShape.Fixture("p-extension-list-response.json").GetProperty("data")[0]),
            JsonShape.Of(extensions.GetProperty("data")[0]));

        var callId = simulator.StartOutboundCall("1005", "5503301", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        AssertMatches("p-call-query-response.json", await client.GetAsync($"openapi/v1.0/call/query?type=outbound&access_token={token}", ct));
        var channel = (await client.GetAsync($"openapi/v1.0/call/query?call_id={callId}&access_token={token}", ct))
            .GetProperty("data")[0].GetProperty("members")[0].GetProperty("extension").GetProperty("channel_id").GetString();
        AssertMatches("p-call-hangup-response.json", await client.PostAsync($"openapi/v1.0/call/hangup?access_token={token}", new { channel_id = channel }, ct));
        await simulator.WhenCallCompletedAsync(callId, ct);
        AssertMatches("p-cdr-search-v1-response.json", await client.GetAsync($"openapi/v1.0/cdr/search?access_token={token}", ct));

        AssertMatches("p-call-dial-response.json", await client.PostAsync(
            $"openapi/v1.0/call/dial?access_token={token}", new { caller = "1001", callee = "1002", auto_answer = "yes" }, ct));
        AssertMatches("p-error-channel-not-found.json", await client.PostAsync(
            $"openapi/v1.0/call/hangup?access_token={token}", new { channel_id = "PJSIP/1001-ffffffff" }, ct));
        AssertMatches("p-error-interface-not-existed.json", await client.GetAsync($"openapi/v1.0/call/dial?access_token={token}", ct));
        AssertMatches("p-error-token-expired.json", await client.GetAsync("openapi/v1.0/call/query?type=inbound&access_token=x", ct));
        AssertMatches("p-del-token-response.json", await client.GetAsync($"openapi/v1.0/del_token?access_token={token}", ct));
        AssertMatches("p-error-auth-failure.json", await client.PostAsync("openapi/v1.0/get_token", new { username = "a", password = "b" }, ct));
    }

    [Fact]
    public async Task Recording_download_response_has_the_fixture_shape()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30012], ct);
        var token = await client.GetTokenAsync(ct);

        var callId = simulator.StartInboundCall("5503301", "1002", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), record: true);
        var cdr = (await ReadUntilCdrAsync(socket, ct)).Single();
        JsonShape.AssertFrameMatches("p-30012-cdr-answered-inbound.json", cdr);
        var file = simulator.RecordingOf(callId);
        Assert.Equal(file, SimulatorClient.Msg(cdr).GetProperty("recording").GetString());

        AssertMatches("p-recording-download-response.json", await client.GetAsync($"openapi/v1.0/recording/download?file={file}&access_token={token}", ct));
        AssertMatches("p-cdr-search-v1-response.json", await client.GetAsync($"openapi/v1.0/cdr/search?access_token={token}", ct));
    }

    private static void AssertMatches(string fixture, JsonElement actual) =>
        Assert.Equal(JsonShape.Of(JsonShape.Fixture(fixture)), JsonShape.Of(actual));

    private static async Task<List<JsonElement>> ReadUntilCdrAsync(System.Net.WebSockets.ClientWebSocket socket, CancellationToken ct)
    {
        var frames = new List<JsonElement>();
        while (frames.Count == 0 || frames[^1].GetProperty("type").GetInt32() != 30012)
        {
            var text = await SimulatorClient.ReceiveTextAsync(socket, ct);
            Assert.NotNull(text);
            frames.Add(JsonDocument.Parse(text).RootElement.Clone());
        }

        return frames;
    }
}
