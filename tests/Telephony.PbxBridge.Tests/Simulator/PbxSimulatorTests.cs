using System.Net.WebSockets;
using System.Text.Json;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

public sealed class PbxSimulatorTests
{
    // 30 simulated seconds per real second keeps scripted calls well under a second of wall time.
    private static PbxSimulatorOptions Fast() => new() { TimeScale = 30, Seed = 1 };

    [Fact]
    public async Task Get_token_returns_the_documented_shape_and_a_bad_secret_fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);

        var ok = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);
        Assert.Equal(0, ok.GetProperty("errcode").GetInt32());
        Assert.Equal("SUCCESS", ok.GetProperty("errmsg").GetString());
        Assert.Equal(1800, ok.GetProperty("access_token_expire_time").GetInt32());
        Assert.Equal(86400, ok.GetProperty("refresh_token_expire_time").GetInt32());
        Assert.Equal(32, ok.GetProperty("access_token").GetString()!.Length);
        Assert.Equal(32, ok.GetProperty("refresh_token").GetString()!.Length);

        var bad = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "wrong" }, ct);
        Assert.Equal(-1, bad.GetProperty("errcode").GetInt32());
        Assert.Equal("FAILURE", bad.GetProperty("errmsg").GetString());
        Assert.Equal("username or password", bad.GetProperty("invalid_param_list")[0].GetProperty("field").GetString());
        Assert.Equal(1, simulator.ValidAccessTokenCount);
    }

    [Fact]
    public async Task Missing_user_agent_gives_parameter_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator, sendUserAgent: false);

        var response = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);

        Assert.Equal(40002, response.GetProperty("errcode").GetInt32());
        Assert.Equal("PARAMETER ERROR", response.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task Wrong_method_and_bad_or_expired_tokens_give_documented_errors()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        var token = await client.GetTokenAsync(ct);

        var wrongMethod = await client.PostAsync($"openapi/v1.0/extension/list?access_token={token}", new { }, ct);
        Assert.Equal(10001, wrongMethod.GetProperty("errcode").GetInt32());

        var badToken = await client.GetAsync("openapi/v1.0/extension/list?access_token=nope", ct);
        Assert.Equal(10004, badToken.GetProperty("errcode").GetInt32());
        Assert.Equal("TOKEN EXPIRED", badToken.GetProperty("errmsg").GetString());

        simulator.Faults.ExpireAllTokens();
        var expired = await client.GetAsync($"openapi/v1.0/extension/list?access_token={token}", ct);
        Assert.Equal(10004, expired.GetProperty("errcode").GetInt32());
    }

    [Fact]
    public async Task Ninth_valid_token_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        for (var i = 0; i < 8; i++)
        {
            await client.GetTokenAsync(ct);
        }

        var ninth = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);

        Assert.Equal(60002, ninth.GetProperty("errcode").GetInt32());
        Assert.Equal("MAX LIMITATION EXCEEDED", ninth.GetProperty("errmsg").GetString());
        Assert.Equal(8, simulator.ValidAccessTokenCount);
    }

    [Fact]
    public async Task Heartbeat_after_subscribe_gets_heartbeat_response()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012], ct);

        await SimulatorClient.SendTextAsync(socket, "heartbeat", ct);

        Assert.Equal("heartbeat response", await SimulatorClient.ReceiveTextAsync(socket, ct));
        Assert.Equal(1, simulator.ActiveSocketCount);
    }

    [Fact]
    public async Task Subscribe_with_invalid_token_is_rejected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);

        await Assert.ThrowsAsync<WebSocketException>(() => client.SubscribeAsync("not-a-token", [30011], ct));
    }

    [Fact]
    public async Task Idle_socket_is_dropped_after_idle_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) }, ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011], ct);

        // No frames are sent, so the next receive ends with the server dropping the socket.
        Assert.Null(await SimulatorClient.ReceiveTextAsync(socket, ct));
    }

    [Fact]
    public async Task Answered_inbound_call_emits_ringing_answered_bye_snapshots_then_answered_cdr()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012], ct);

        var callId = simulator.StartInboundCall("89161234567", "1002", TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(9));
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);

        var snapshots = frames.Where(f => f.GetProperty("type").GetInt32() == 30011).Select(SimulatorClient.Msg).ToList();
        Assert.Equal(["ALERT", "RING"], Statuses(snapshots[0]));
        Assert.Equal("89161234567", snapshots[0].GetProperty("members")[0].GetProperty("inbound").GetProperty("from").GetString());
        Assert.Equal(["ANSWERED", "ANSWER"], Statuses(snapshots[1]));
        Assert.Equal("BYE", Statuses(snapshots[^1]).Single());
        Assert.All(frames, f => Assert.Equal("3631A2124XXX", f.GetProperty("sn").GetString()));

        var cdr = SimulatorClient.Msg(frames[^1]);
        Assert.Equal("ANSWERED", cdr.GetProperty("status").GetString());
        Assert.Equal("Inbound", cdr.GetProperty("type").GetString());
        Assert.Equal(15, cdr.GetProperty("call_duration").GetInt32());
        Assert.Equal(9, cdr.GetProperty("talk_duration").GetInt32());
        Assert.Equal("siptrunk", cdr.GetProperty("src_trunk_name").GetString());

        await simulator.WhenCallCompletedAsync(callId, ct);
        var call = Assert.Single(simulator.Calls);
        Assert.Equal(("answered", "1002", 6, 9), (call.Outcome, call.AnsweredBy, call.RingSeconds, call.TalkSeconds));
    }

    [Fact]
    public async Task Missed_inbound_call_gives_no_answer_cdr_also_found_by_cdr_search()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        var token = await client.GetTokenAsync(ct);
        using var socket = await client.SubscribeAsync(token, [30012], ct);

        var callId = simulator.StartInboundCall("89161234567", "1001", TimeSpan.FromSeconds(12), talkFor: null);
        var cdr = SimulatorClient.Msg(Assert.Single(await SimulatorClient.CollectCallAsync(socket, callId, ct)));

        Assert.Equal("NO ANSWER", cdr.GetProperty("status").GetString());
        Assert.Equal(0, cdr.GetProperty("talk_duration").GetInt32());
        Assert.Equal(12, cdr.GetProperty("call_duration").GetInt32());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", cdr.GetProperty("time_start").GetString());

        var search = await client.GetAsync($"openapi/v1.0/cdr/search?access_token={token}&page=1&page_size=10", ct);
        Assert.Equal(1, search.GetProperty("total_number").GetInt32());
        var row = search.GetProperty("data")[0];
        Assert.Equal(callId, row.GetProperty("call_id").GetString());
        Assert.Equal("NO ANSWER", row.GetProperty("disposition").GetString());
        Assert.Equal("89161234567<89161234567>", row.GetProperty("call_from").GetString());
    }

    [Fact]
    public async Task Busy_outbound_call_emits_call_failed_and_busy_cdr()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30015, 30012], ct);

        var callId = simulator.StartOutboundCall("1005", "89161234567", TimeSpan.FromSeconds(3), talkFor: null, busy: true);
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);

        var failed = SimulatorClient.Msg(frames.Single(f => f.GetProperty("type").GetInt32() == 30015));
        Assert.Equal("486 Busy here", failed.GetProperty("reason").GetString());
        Assert.Equal(["BYE", "BYE"], Statuses(failed));
        Assert.Equal("BUSY", SimulatorClient.Msg(frames[^1]).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Hanging_up_a_dialled_call_ends_it_and_the_channel_is_then_unknown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        var token = await client.GetTokenAsync(ct);
        using var socket = await client.SubscribeAsync(token, [30011, 30012], ct);

        var dial = await client.PostAsync(
            $"openapi/v1.0/call/dial?access_token={token}", new { caller = "1003", callee = "89161234567", auto_answer = "yes" }, ct);
        Assert.Equal(0, dial.GetProperty("errcode").GetInt32());
        var callId = dial.GetProperty("call_id").GetString()!;

        var first = SimulatorClient.Msg(JsonDocument.Parse((await SimulatorClient.ReceiveTextAsync(socket, ct))!).RootElement);
        var channel = first.GetProperty("members")[0].GetProperty("extension").GetProperty("channel_id").GetString()!;
        Assert.StartsWith("PJSIP/1003-", channel, StringComparison.Ordinal);

        var hangup = await client.PostAsync($"openapi/v1.0/call/hangup?access_token={token}", new { channel_id = channel }, ct);
        Assert.Equal(callId, hangup.GetProperty("call_id").GetString());
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);
        Assert.Equal("Outbound", SimulatorClient.Msg(frames[^1]).GetProperty("type").GetString());

        var unknown = await client.PostAsync($"openapi/v1.0/call/hangup?access_token={token}", new { channel_id = channel }, ct);
        Assert.Equal(70130, unknown.GetProperty("errcode").GetInt32());
        Assert.Equal("CAHNNEL ID NOT FOUND", unknown.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task Fault_switches_reject_logins_and_drop_sockets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011], ct);

        simulator.Faults.RejectLogins = true;
        var rejected = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);
        simulator.Faults.DropAllSockets();

        Assert.Equal(-1, rejected.GetProperty("errcode").GetInt32());
        Assert.Null(await SimulatorClient.ReceiveTextAsync(socket, ct));
    }

    [Fact]
    public async Task Refresh_token_issues_a_new_token_pair_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        var first = await client.PostAsync("openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, ct);
        var refreshToken = first.GetProperty("refresh_token").GetString()!;

        var refreshed = await client.PostAsync("openapi/v1.0/refresh_token", new { refresh_token = refreshToken }, ct);
        var reused = await client.PostAsync("openapi/v1.0/refresh_token", new { refresh_token = refreshToken }, ct);

        Assert.Equal(0, refreshed.GetProperty("errcode").GetInt32());
        Assert.NotEqual(first.GetProperty("access_token").GetString(), refreshed.GetProperty("access_token").GetString());
        Assert.Equal(10004, reused.GetProperty("errcode").GetInt32());
        var list = await client.GetAsync($"openapi/v1.0/extension/list?access_token={refreshed.GetProperty("access_token").GetString()}", ct);
        Assert.Equal(5, list.GetProperty("total_number").GetInt32());
    }

    [Fact]
    public async Task Ring_group_call_rings_every_member_with_the_group_in_call_path()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012], ct);

        var callId = simulator.StartInboundRingGroupCall(
            "89161234567", ["1001", "1002", "1003"], "6300", TimeSpan.FromSeconds(4), answeredBy: "1002", TimeSpan.FromSeconds(5));
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);

        var ringing = SimulatorClient.Msg(frames[0]);
        Assert.Equal(["ALERT", "RING", "RING", "RING"], Statuses(ringing));
        Assert.All(ringing.GetProperty("members").EnumerateArray(), m =>
            Assert.Equal("6300", m.EnumerateObject().Single().Value.GetProperty("call_path").GetString()));
        Assert.Equal(["ANSWERED", "BYE", "ANSWER", "BYE"], Statuses(SimulatorClient.Msg(frames[1])));
        var cdr = SimulatorClient.Msg(frames[^1]);
        Assert.Equal(("ANSWERED", "1002"), (cdr.GetProperty("status").GetString(), cdr.GetProperty("call_to").GetString()));
    }

    [Fact]
    public async Task Background_traffic_never_puts_one_extension_in_two_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions
        {
            TimeScale = 120,
            Seed = 7,
            CallsPerMinute = 30,

            // The test sends no heartbeats; at this scale the default 60 s idle timeout is half a real second.
            IdleTimeout = TimeSpan.FromHours(1),
        }, ct);
        using var client = new SimulatorClient(simulator);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30012], ct);

        for (var i = 0; i < 15; i++)
        {
            Assert.NotNull(await SimulatorClient.ReceiveTextAsync(socket, ct));
        }

        var byExtension = simulator.Calls
            .SelectMany(c => ExtensionsOf(c).Select(e => (Extension: e, Call: c)))
            .GroupBy(x => x.Extension);
        foreach (var group in byExtension)
        {
            var calls = group.Select(x => x.Call).OrderBy(c => c.StartedAt).ToList();
            for (var i = 1; i < calls.Count; i++)
            {
                // One simulated second of slack covers timer granularity at this time scale.
                Assert.True(calls[i].StartedAt >= calls[i - 1].EndedAt - TimeSpan.FromSeconds(1), $"{group.Key} overlaps");
            }
        }
    }

    private static IEnumerable<string> ExtensionsOf(SimulatedCall call) => call.Direction switch
    {
        "outbound" => [call.From],
        "internal" => [call.From, call.To],
        _ => call.AnsweredBy is { } answeredBy ? [answeredBy] : call.To.StartsWith('1') ? [call.To] : [],
    };

    private static string[] Statuses(JsonElement msg) =>
        [.. msg.GetProperty("members").EnumerateArray().Select(m => m.EnumerateObject().Single().Value.GetProperty("member_status").GetString()!)];
}
