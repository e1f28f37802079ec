using Telephony.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class PbxCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] SimulatorExtensions = ["1001", "1002", "1003", "1004", "1005"];

    [Fact]
    public async Task Dial_command_rings_the_caller_and_posts_the_pbx_call_id_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        var commandId = api.EnqueueDial("1001", "89991234567", autoAnswer: true);
        var result = await ResultOfAsync(api, bridge, commandId);

        Assert.Equal(0, result.Errcode);
        Assert.Equal("SUCCESS", result.Errmsg);
        Assert.Equal(["errcode", "errmsg", "callId"], result.Fields);
        var callId = Assert.IsType<string>(result.CallId);
        await Eventually.UntilAsync(
            () => api.Frames.Any(f => PbxConnectionTests.IsEvent(f, 30011) && f.RawFrame.Contains(callId, StringComparison.Ordinal)
                && f.RawFrame.Contains("1001", StringComparison.Ordinal)),
            Timeout,
            "the simulator to ring caller 1001 on the dialled call",
            bridge.Logs.AllText);

        // End the call through the bridge so the simulator stops promptly.
        api.EnqueueHangup(callId, "1001");
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
    }

    [Fact]
    public async Task Hangup_command_ends_a_live_call_on_the_handling_extension()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        // Rings for ten simulated minutes: only the hangup can end it within the test's timeout.
        var callId = pbx.StartInboundCall("+79991234567", "1002", ringFor: TimeSpan.FromMinutes(10), talkFor: TimeSpan.FromMinutes(10));
        var commandId = api.EnqueueHangup(callId, "1002");

        var result = await ResultOfAsync(api, bridge, commandId);
        Assert.Equal(0, result.Errcode);
        Assert.Equal(callId, result.CallId);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        Assert.Contains(pbx.Calls, c => c.CallId == callId && c.Outcome == "missed");
    }

    [Fact]
    public async Task Hangup_of_a_call_the_pbx_no_longer_has_posts_data_not_found()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        var commandId = api.EnqueueHangup("1700000000.123", extension: null);

        var result = await ResultOfAsync(api, bridge, commandId);
        Assert.Equal((60001, "DATA NOT FOUND", (string?)null), (result.Errcode, result.Errmsg, result.CallId));
        Assert.Equal(["errcode", "errmsg"], result.Fields);
    }

    [Fact]
    public async Task Dial_from_an_unknown_caller_posts_the_pbx_errcode_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        var commandId = api.EnqueueDial("9999", "89991234567");

        var result = await ResultOfAsync(api, bridge, commandId);
        Assert.Equal(40002, result.Errcode);
        Assert.Equal("PARAMETER ERROR", result.Errmsg);
        Assert.Null(result.CallId);
        Assert.Equal(["errcode", "errmsg"], result.Fields);
    }

    [Fact]
    public async Task Command_handed_out_twice_is_executed_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        var commandId = api.EnqueueDial("1003", "89991234567");
        api.EnqueueDial("1003", "89991234567", id: commandId);
        await Eventually.UntilAsync(() => api.CommandResults.Count(r => r.CommandId == commandId) >= 2, Timeout, "both deliveries answered", bridge.Logs.AllText);

        // A later poll hands it out once more.
        api.EnqueueDial("1003", "89991234567", id: commandId);
        await Eventually.UntilAsync(() => api.CommandResults.Count(r => r.CommandId == commandId) >= 3, Timeout, "the third delivery answered", bridge.Logs.AllText);

        var results = api.CommandResults.Where(r => r.CommandId == commandId).ToList();
        var callId = Assert.IsType<string>(results[0].CallId);
        Assert.All(results, r => Assert.Equal((0, callId), (r.Errcode, r.CallId)));
        Assert.Equal(1, bridge.Logs.Count("(dial) executed"));
        Assert.Equal(2, bridge.Logs.Count("not executing it twice"));

        api.EnqueueHangup(callId, "1003");
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        Assert.Single(pbx.Calls);
    }

    [Fact]
    public async Task Poller_keeps_polling_after_the_api_fails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        api.CommandsUnavailable = true;
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Polling the API for commands failed") >= 1, Timeout, "a failed poll", bridge.Logs.AllText);

        api.CommandsUnavailable = false;
        var commandId = api.EnqueueDial("9999", "89991234567");
        var result = await ResultOfAsync(api, bridge, commandId);
        Assert.Equal(40002, result.Errcode);
    }

    [Fact]
    public async Task Extensions_are_synced_to_the_api_after_subscribing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        await Eventually.UntilAsync(() => api.ExtensionSyncs.Count >= 1, Timeout, "an extension sync", bridge.Logs.AllText);

        Assert.Equal(
            [.. SimulatorExtensions.Select(n => new SyncedExtension(n, $"Extension {n}", true, "available"))],
            api.ExtensionSyncs[0]);

        // A new session syncs again.
        pbx.Faults.DropAllSockets();
        await Eventually.UntilAsync(() => api.ExtensionSyncs.Count >= 2, Timeout, "a sync after the resubscribe", bridge.Logs.AllText);
    }

    internal static PbxSimulatorOptions SimulatorOptions() =>
        PbxConnectionTests.SimulatorOptions(timeScale: 10, idleTimeout: TimeSpan.FromMinutes(10));

    private static async Task<CommandResult> ResultOfAsync(FakeTelephonyApi api, BridgeUnderTest bridge, Guid commandId)
    {
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == commandId), Timeout, $"the result of command {commandId}", bridge.Logs.AllText);
        return api.CommandResults.First(r => r.CommandId == commandId);
    }
}
