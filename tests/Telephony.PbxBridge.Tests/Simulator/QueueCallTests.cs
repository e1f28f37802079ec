using System.Net.WebSockets;
using System.Text.Json;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Queue calls over the real P-Series WebSocket (api.md A7 30025/30026/30029, A8.1 call_path, A8.2 agent_ring_time).
public sealed class QueueCallTests
{
    private const string Queue = "6400";
    private static readonly int[] QueueTopics = [30008, 30011, 30012, 30025, 30026, 30029];

    // Agent ring timeout 4 s and auto pause after 2 timeouts in a row; 30 simulated seconds per real second.
    internal static PbxSimulatorOptions WithQueue(PbxSimulatorOptions? options = null)
    {
        options ??= new PbxSimulatorOptions { TimeScale = 30, Seed = 5 };
        options.Queues = [new PbxQueueOptions { Number = Queue, Agents = ["1002", "1003", "1004"], AgentRingTimeout = TimeSpan.FromSeconds(4), RingTimeoutsBeforeAutoPause = 2 }];
        return options;
    }

    [Fact]
    public async Task Queue_call_rings_agents_in_turn_with_call_path_and_its_cdr_carries_agent_ring_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(WithQueue(), ct);
        using var client = new SimulatorClient(pbx);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), QueueTopics, ct);

        var callId = pbx.StartInboundQueueCall("5503301", Queue, maxWait: TimeSpan.FromMinutes(2), ringTimeouts: 1,
            answerAfterRinging: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);

        var snapshots = frames.Where(f => Type(f) == 30011).Select(SimulatorClient.Msg).ToList();
        JsonShape.AssertFrameMatches("p-30011-ringing-inbound-via-queue.json", frames[0]);
        Assert.Equal(["inbound:ALERT", "1002:RING"], Legs(snapshots[0]));
        Assert.All(snapshots.SelectMany(s => s.GetProperty("members").EnumerateArray()), m => Assert.Equal(Queue, Leg(m).GetProperty("call_path").GetString()));

        // The first agent rings out: 30026, its leg ends, the next agent in list order rings.
        var timeout = frames.Single(f => Type(f) == 30026);
        JsonShape.AssertFrameMatches("p-30026-agent-ringing-timeout.json", timeout);
        var timeoutMsg = timeout.GetProperty("msg");
        Assert.Equal(Queue, timeoutMsg.GetProperty("queue_number").GetString());
        Assert.Equal("1002", timeoutMsg.GetProperty("agent_number").GetString());
        Assert.Equal("5503301", timeoutMsg.GetProperty("caller_number").GetString());
        Assert.Equal(callId, timeoutMsg.GetProperty("call_id").GetString());
        var afterTimeout = frames.SkipWhile(f => Type(f) != 30026).Where(f => Type(f) == 30011).Select(SimulatorClient.Msg).ToList();
        Assert.Equal(["inbound:ALERT", "1002:BYE"], Legs(afterTimeout[0]));
        Assert.Equal(["inbound:ALERT", "1003:RING"], Legs(afterTimeout[1]));
        Assert.Equal(["inbound:ANSWERED", "1003:ANSWER"], Legs(afterTimeout[2]));

        // A8.2: 4 s with 1002 + 2 s with 1003 from entering the queue to the answer; call_to is the agent who answered.
        var cdrFrame = frames[^1];
        JsonShape.AssertFrameMatches("p-30012-cdr-answered-inbound.json", cdrFrame);
        var cdr = SimulatorClient.Msg(cdrFrame);
        Assert.Equal(6, cdr.GetProperty("agent_ring_time").GetInt32());
        Assert.Equal("1003", cdr.GetProperty("call_to").GetString());
        Assert.Equal("ANSWERED", cdr.GetProperty("status").GetString());
        Assert.Equal(3, cdr.GetProperty("talk_duration").GetInt32());

        await pbx.WhenCallCompletedAsync(callId, ct);
        var record = pbx.Calls.Single(c => c.CallId == callId);
        Assert.Equal(Queue, record.Queue);
        Assert.Equal(6, record.QueueWaitSeconds);
        Assert.Equal(["1002"], record.MissedByAgents!);
        Assert.Equal("1003", record.AnsweredBy);
        Assert.Equal("answered", record.Outcome);
        Assert.Equal("1003", record.To);
        Assert.Empty(pbx.AgentStatusChanges);
    }

    [Fact]
    public async Task Two_ringing_timeouts_in_a_row_auto_pause_the_agent_who_is_then_skipped_until_unpaused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(WithQueue(), ct);
        using var client = new SimulatorClient(pbx);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), QueueTopics, ct);

        var first = await AnsweredAfterOneTimeoutAsync(pbx, "5503301", ct);
        var second = await AnsweredAfterOneTimeoutAsync(pbx, "5503302", ct);
        var frames = await ReadUntilAsync(socket, f => Type(f) == 30012 && SimulatorClient.Msg(f).GetProperty("call_id").GetString() == second, ct);

        Assert.Equal([("1002", first), ("1002", second)], frames.Where(f => Type(f) == 30026)
            .Select(f => (f.GetProperty("msg").GetProperty("agent_number").GetString(), f.GetProperty("msg").GetProperty("call_id").GetString())));

        // 30025 has no fixture: its shape is A7's field list, an object msg and no sn.
        var autoPause = frames.Single(f => Type(f) == 30025);
        Assert.Equal(["type", "msg"], autoPause.EnumerateObject().Select(p => p.Name));
        var pauseMsg = autoPause.GetProperty("msg");
        Assert.Equal(JsonValueKind.Object, pauseMsg.ValueKind);
        Assert.Equal(["queue_number", "agent_number", "calls"], pauseMsg.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Queue, pauseMsg.GetProperty("queue_number").GetString());
        Assert.Equal("1002", pauseMsg.GetProperty("agent_number").GetString());
        Assert.All(pauseMsg.GetProperty("calls").EnumerateArray(), c => Assert.Equal(["caller_number", "call_id"], c.EnumerateObject().Select(p => p.Name)));
        Assert.Equal([("5503301", first), ("5503302", second)], pauseMsg.GetProperty("calls").EnumerateArray()
            .Select(c => (c.GetProperty("caller_number").GetString(), c.GetProperty("call_id").GetString())));

        var status = frames.Single(f => Type(f) == 30029);
        JsonShape.AssertFrameMatches("p-30029-agent-status-changed.json", status);
        Assert.Equal("queue-6400", status.GetProperty("msg").GetProperty("queue_number").GetString());
        Assert.Equal("1002", status.GetProperty("msg").GetProperty("agent_number").GetString());
        Assert.Equal("Paused", status.GetProperty("msg").GetProperty("status").GetString());

        // In order: the second timeout, then the auto pause, then the agent status, all before the call's CDR.
        var secondTimeout = frames.FindIndex(f => Type(f) == 30026 && f.GetProperty("msg").GetProperty("call_id").GetString() == second);
        Assert.True(secondTimeout < frames.IndexOf(autoPause) && frames.IndexOf(autoPause) < frames.IndexOf(status) && frames.IndexOf(status) < frames.Count - 1);

        var change = Assert.Single(pbx.AgentStatusChanges);
        Assert.Equal((Queue, "1002", "Paused", true), (change.Queue, change.Agent, change.Status, change.Automatic));
        Assert.Equal([first, second], change.MissedCallIds);
        Assert.Equal(status.GetProperty("msg").GetProperty("reason").GetString(), change.Reason);

        // Paused 1002 is skipped: the next caller rings 1003 first.
        var third = pbx.StartInboundQueueCall("5503303", Queue, TimeSpan.FromMinutes(2), ringTimeouts: 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var thirdFrames = await SimulatorClient.CollectCallAsync(socket, third, ct);
        Assert.Equal(["inbound:ALERT", "1003:RING"], Legs(SimulatorClient.Msg(thirdFrames[0])));
        Assert.DoesNotContain(thirdFrames.Where(f => Type(f) == 30011).SelectMany(f => Legs(SimulatorClient.Msg(f))), l => l.StartsWith("1002", StringComparison.Ordinal));

        Assert.True(pbx.UnpauseAgent(Queue, "1002"));
        Assert.True(pbx.PauseAgent(Queue, "1004", "Lunch"));
        Assert.False(pbx.PauseAgent(Queue, "1004", "Lunch"));
        var changes = await ReadUntilAsync(socket, f => Type(f) == 30029 && f.GetProperty("msg").GetProperty("reason").GetString() == "Lunch", ct);
        Assert.Equal([("1002", "Unpaused", ""), ("1004", "Paused", "Lunch")], changes.Where(f => Type(f) == 30029).Select(f => (
            f.GetProperty("msg").GetProperty("agent_number").GetString(), f.GetProperty("msg").GetProperty("status").GetString(), f.GetProperty("msg").GetProperty("reason").GetString())));
        Assert.Equal([("1002", "Paused", true), ("1002", "Unpaused", false), ("1004", "Paused", false)], pbx.AgentStatusChanges.Select(c => (c.Agent, c.Status, c.Automatic)));

        // Unpaused, 1002 is first in line again.
        var fourth = pbx.StartInboundQueueCall("5503304", Queue, TimeSpan.FromMinutes(2), ringTimeouts: 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var fourthFrames = await SimulatorClient.CollectCallAsync(socket, fourth, ct);
        Assert.Equal(["inbound:ALERT", "1002:RING"], Legs(SimulatorClient.Msg(fourthFrames[0])));
        Assert.Equal([], pbx.Calls.Single(c => c.CallId == fourth).MissedByAgents!);
    }

    [Fact]
    public async Task Caller_who_hangs_up_while_waiting_is_abandoned_with_the_queue_as_call_to_and_no_agent_ring_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(WithQueue(), ct);
        using var client = new SimulatorClient(pbx);

        // Not subscribed to 30025/30026/30029: the PBX sends only the topics a socket asked for.
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012], ct);

        // A short abandon: 3 s, while the first agent still rings.
        var shortAbandon = pbx.StartInboundQueueCall("5503301", Queue, TimeSpan.FromSeconds(3), ringTimeouts: 0, answerAfterRinging: null, talkFor: null);
        var frames = await SimulatorClient.CollectCallAsync(socket, shortAbandon, ct);
        JsonShape.AssertFrameMatches("p-30012-cdr-noanswer-inbound.json", frames[^1]);
        var cdr = SimulatorClient.Msg(frames[^1]);
        Assert.Equal(("NO ANSWER", Queue, 0, 3), (cdr.GetProperty("status").GetString(), cdr.GetProperty("call_to").GetString(),
            cdr.GetProperty("agent_ring_time").GetInt32(), cdr.GetProperty("call_duration").GetInt32()));
        Assert.Equal(["inbound:BYE", "1002:RING"], Legs(SimulatorClient.Msg(frames[^3])));

        // A longer wait: 1002 and 1003 ring out (4 s each), the caller hangs up at 10 s while 1004 rings.
        var longWait = pbx.StartInboundQueueCall("5503302", Queue, TimeSpan.FromSeconds(10), ringTimeouts: 0, answerAfterRinging: null, talkFor: null);
        var longFrames = await SimulatorClient.CollectCallAsync(socket, longWait, ct);
        Assert.All(longFrames, f => Assert.Contains(Type(f), new[] { 30011, 30012 }));
        Assert.Equal(0, SimulatorClient.Msg(longFrames[^1]).GetProperty("agent_ring_time").GetInt32());

        await pbx.WhenCallCompletedAsync(longWait, ct);
        var abandoned = pbx.Calls.Single(c => c.CallId == shortAbandon);
        Assert.Equal(("missed", Queue, 3, null), (abandoned.Outcome, abandoned.Queue, abandoned.QueueWaitSeconds, abandoned.AnsweredBy));
        Assert.Equal([], abandoned.MissedByAgents!);
        Assert.Equal(Queue, abandoned.To);
        var waited = pbx.Calls.Single(c => c.CallId == longWait);
        Assert.Equal(10, waited.QueueWaitSeconds);
        Assert.Equal(["1002", "1003"], waited.MissedByAgents!);
    }

    [Fact]
    public async Task Caller_waits_alone_in_the_queue_while_every_agent_is_paused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(WithQueue(), ct);
        using var client = new SimulatorClient(pbx);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30011, 30012], ct);
        foreach (var agent in new[] { "1002", "1003", "1004" })
        {
            Assert.True(pbx.PauseAgent(Queue, agent, "Meeting"));
        }

        var callId = pbx.StartInboundQueueCall("5503301", Queue, TimeSpan.FromSeconds(12), ringTimeouts: 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var frames = await SimulatorClient.CollectCallAsync(socket, callId, ct);

        Assert.Equal(["inbound:ALERT"], Legs(SimulatorClient.Msg(frames[0])));
        Assert.All(frames.Where(f => Type(f) == 30011), f => Assert.All(Legs(SimulatorClient.Msg(f)), l => Assert.StartsWith("inbound:", l, StringComparison.Ordinal)));
        Assert.Equal("NO ANSWER", SimulatorClient.Msg(frames[^1]).GetProperty("status").GetString());
        Assert.Equal(12, pbx.Calls.Single().QueueWaitSeconds);
    }

    [Fact]
    public async Task Non_queue_calls_keep_null_queue_fields_and_zero_agent_ring_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(WithQueue(), ct);
        using var client = new SimulatorClient(pbx);
        using var socket = await client.SubscribeAsync(await client.GetTokenAsync(ct), [30012], ct);

        var callId = pbx.StartInboundRingGroupCall("5503301", ["1002", "1003"], "6300", TimeSpan.FromSeconds(3), "1003", TimeSpan.FromSeconds(2));
        var cdr = SimulatorClient.Msg((await SimulatorClient.CollectCallAsync(socket, callId, ct))[^1]);

        Assert.Equal(0, cdr.GetProperty("agent_ring_time").GetInt32());
        var record = pbx.Calls.Single();
        Assert.Equal((null, null, null), (record.Queue, record.QueueWaitSeconds, record.MissedByAgents));
    }

    [Fact]
    public async Task Demo_traffic_sends_a_share_of_inbound_calls_through_the_queue_with_timeouts_abandons_and_auto_pauses()
    {
        var ct = TestContext.Current.CancellationToken;

        // 300 simulated seconds per real second, 20 calls a simulated minute on 20 extensions, agents 1018–1020.
        var options = new PbxSimulatorOptions
        {
            TimeScale = 300,
            Seed = 11,
            CallsPerMinute = 20,
            Extensions = [.. Enumerable.Range(1001, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        options.Queues = [new PbxQueueOptions { Number = Queue, Agents = ["1018", "1019", "1020"] }];
        await using var pbx = await PbxSim.StartAsync(options, ct);

        // Timing decides which arrivals find free agents, so wait for each kind of queue call rather than count on one run.
        await Eventually.UntilAsync(
            () => pbx.AgentStatusChanges.Any(c => c.Automatic) && pbx.AgentStatusChanges.Any(c => c.Status == "Unpaused")
                && pbx.Calls.Count(c => c.Queue is not null) >= 30
                && pbx.Calls.Any(c => c.Queue is not null && c.Outcome == "missed" && c.QueueWaitSeconds < 5)
                && pbx.Calls.Any(c => c.Queue is not null && c.Outcome == "answered" && c.MissedByAgents!.Count > 0),
            TimeSpan.FromSeconds(120),
            "an auto pause, an unpause, 30 finished queue calls with a short abandon and an answer after a ringing timeout",
            () => $"{pbx.Calls.Count} calls, {pbx.Calls.Count(c => c.Queue is not null)} through the queue, {pbx.AgentStatusChanges.Count} agent changes");

        var calls = pbx.Calls;
        var inbound = calls.Where(c => c.Direction == "inbound").ToList();
        var queued = inbound.Where(c => c.Queue == Queue).ToList();
        Assert.Equal(queued.Count, calls.Count(c => c.Queue is not null));
        Assert.InRange((double)queued.Count / inbound.Count, 0.10, 0.30);
        Assert.All(queued, c => Assert.Equal(c.Outcome == "answered", c.AnsweredBy is not null && options.Queues[0].Agents.Contains(c.AnsweredBy)));
        Assert.All(queued.Where(c => c.Outcome == "answered"), c => Assert.Equal(c.RingSeconds, c.QueueWaitSeconds));
        Assert.All(pbx.AgentStatusChanges.Where(c => c.Automatic), c => Assert.Equal(2, c.MissedCallIds.Count));
    }

    // One call through the queue: the first agent in line rings out (4 s), the next answers after 1 s.
    private static async Task<string> AnsweredAfterOneTimeoutAsync(PbxSim pbx, string caller, CancellationToken ct)
    {
        var callId = pbx.StartInboundQueueCall(caller, Queue, TimeSpan.FromMinutes(2), ringTimeouts: 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        await pbx.WhenCallCompletedAsync(callId, ct);
        return callId;
    }

    // Every frame (any call, any type) up to and including the first that matches.
    private static async Task<List<JsonElement>> ReadUntilAsync(ClientWebSocket socket, Func<JsonElement, bool> last, CancellationToken ct)
    {
        var frames = new List<JsonElement>();
        while (frames.Count == 0 || !last(frames[^1]))
        {
            var text = await SimulatorClient.ReceiveTextAsync(socket, ct);
            Assert.NotNull(text);
            frames.Add(JsonDocument.Parse(text).RootElement.Clone());
        }

        return frames;
    }

    private static int Type(JsonElement frame) => frame.GetProperty("type").GetInt32();

    private static JsonElement Leg(JsonElement member) => member.EnumerateObject().Single().Value;

    // "inbound:ALERT", "1002:RING", … for a 30011 msg.
    private static List<string> Legs(JsonElement msg) => [.. msg.GetProperty("members").EnumerateArray().Select(m =>
    {
        var wrapper = m.EnumerateObject().Single();
        var who = wrapper.Name == "extension" ? wrapper.Value.GetProperty("number").GetString() : wrapper.Name;
        return $"{who}:{wrapper.Value.GetProperty("member_status").GetString()}";
    })];
}
