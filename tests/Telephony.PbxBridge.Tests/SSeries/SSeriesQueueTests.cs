using System.Globalization;
using System.Text.Json;
using Telephony.PbxBridge.Tests.Simulator;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.SSeries;

// Queue calls over the real S-Series HTTP event push (api.md B3: CallStatus callpath, NewCdr agentringtime,
// QueueAutoPause). S-Series documents no equivalent of 30026 or 30029, so nothing is pushed for them.
public sealed class SSeriesQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Queue_calls_push_callpath_agentringtime_and_queue_auto_pause_and_nothing_for_timeouts_or_agent_status()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(QueueCallTests.WithQueue(SSeriesSimulatorTests.SOptions()), ct);
        await using var receiver = await EventReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var login = await SSeriesSimulatorTests.PostAsync(http, "api/v2.0.0/login", new
        {
            username = "api",
            password = SSeriesSimulatorTests.Md5("api-password"),
            version = "2.0.0",
            port = receiver.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            url = $"{receiver.BaseUrl.Authority}{EventReceiver.EventPath}",
            urltag = "1",
        }, ct);
        Assert.Equal("Success", login.GetProperty("status").GetString());

        // Two callers in a row: agent 1002 rings out (4 s) on each, 1003 answers after 1 s; the second timeout pauses 1002.
        var first = pbx.StartInboundQueueCall("5503301", "6400", TimeSpan.FromMinutes(2), ringTimeouts: 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(first, ct).WaitAsync(Timeout, ct);
        var second = pbx.StartInboundQueueCall("5503302", "6400", TimeSpan.FromMinutes(2), ringTimeouts: 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(second, ct).WaitAsync(Timeout, ct);

        // A scripted pause and a later internal call: pushes keep emit order, so a pushed 30029 would arrive before its CDR.
        Assert.True(pbx.PauseAgent("6400", "1004", "Lunch"));
        var after = pbx.StartInternalCall("1001", "1005", TimeSpan.FromSeconds(1), talkFor: null);
        await Eventually.UntilAsync(() => Bodies(receiver).Any(b => Event(b) == "NewCdr" && b.GetProperty("callid").GetString() == after), Timeout, "the last call's NewCdr");

        var bodies = Bodies(receiver);
        Assert.All(bodies, b => Assert.Contains(Event(b), new[] { "CallStatus", "ExtensionStatus", "NewCdr", "QueueAutoPause" }));
        Assert.DoesNotContain(receiver.Pushes, p => p.Body.Contains("Lunch", StringComparison.Ordinal) || p.Body.Contains("queue-6400", StringComparison.Ordinal));

        var firstStatus = bodies.Where(b => Event(b) == "CallStatus" && b.GetProperty("callid").GetString() == first).ToList();
        Assert.All(firstStatus.SelectMany(b => b.GetProperty("members").EnumerateArray()), m => Assert.Equal("6400", m.EnumerateObject().Single().Value.GetProperty("callpath").GetString()));
        var ringing = firstStatus[0].GetProperty("members");
        Assert.Equal(["inbound", "ext"], ringing.EnumerateArray().Select(m => m.EnumerateObject().Single().Name));
        Assert.Equal(
            JsonShape.Of(JsonShape.Fixture("s-callstatus-ringing-inbound.json")),
            JsonShape.Of(firstStatus[0]));

        var cdr = bodies.Single(b => Event(b) == "NewCdr" && b.GetProperty("callid").GetString() == first);
        Assert.Equal(JsonShape.Of(JsonShape.Fixture("s-newcdr-noanswer-inbound.json")), JsonShape.Of(cdr));
        Assert.Equal(("5", "1003", "ANSWERED"), (cdr.GetProperty("agentringtime").GetString(), cdr.GetProperty("callto").GetString(), cdr.GetProperty("status").GetString()));

        var autoPause = bodies.Single(b => Event(b) == "QueueAutoPause");
        Assert.Equal(["event", "queue", "agent", "misscall", "sn"], autoPause.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("6400", "1002"), (autoPause.GetProperty("queue").GetString(), autoPause.GetProperty("agent").GetString()));
        Assert.Equal([("5503301", first), ("5503302", second)], autoPause.GetProperty("misscall").EnumerateArray().Select(c =>
        {
            Assert.Equal(["caller", "callid"], c.EnumerateObject().Select(p => p.Name));
            return (c.GetProperty("caller").GetString(), c.GetProperty("callid").GetString());
        }));

        // The record knows what the PBX pushed and what it could not push.
        Assert.Equal([("1002", "Paused", true), ("1004", "Paused", false)], pbx.AgentStatusChanges.Select(c => (c.Agent, c.Status, c.Automatic)));
        Assert.Equal(["1002"], pbx.Calls.Single(c => c.CallId == second).MissedByAgents!);
    }

    private static List<JsonElement> Bodies(EventReceiver receiver) =>
        [.. receiver.Pushes.Where(p => !p.Refused).Select(p => JsonDocument.Parse(p.Body).RootElement.Clone())];

    private static string? Event(JsonElement body) => body.GetProperty("event").GetString();
}
