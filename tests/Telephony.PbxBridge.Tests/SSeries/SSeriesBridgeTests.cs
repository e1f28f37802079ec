using System.Text.Json;
using Telephony.Core.Yeastar;
using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class SSeriesBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Pushed_events_of_a_call_reach_the_api_as_s_series_http_frames_the_parser_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings());
        await Eventually.UntilAsync(() => api.Links.Any(l => l.Connected), Timeout, "the link to be reported connected", bridge.Logs.AllText);
        await Eventually.UntilAsync(() => api.ExtensionSyncs.Count >= 1, Timeout, "the extension sync", bridge.Logs.AllText);

        var callId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        await Eventually.UntilAsync(() => Parsed(api, "s-series-http").OfType<CallDetailRecord>().Any(c => c.CallId == callId), Timeout, "the NewCdr frame", bridge.Logs.AllText);

        var events = Parsed(api, "s-series-http");
        var statuses = events.OfType<CallStatusChanged>().Where(e => e.CallId == callId).ToList();
        Assert.Contains(statuses, s => s.Members.Any(m => m.Kind == PbxMemberKind.Inbound && m.Status == PbxMemberStatus.Alert));
        Assert.Contains(statuses, s => s.Members.Any(m => m.Kind == PbxMemberKind.Extension && m.Number == "1001" && m.Status == PbxMemberStatus.Answer));
        var cdr = events.OfType<CallDetailRecord>().Single(c => c.CallId == callId);
        Assert.Equal((CdrDisposition.Answered, CdrCallType.Inbound, "+79991234567", "1001"), (cdr.Disposition, cdr.CallType, cdr.From, cdr.To));
        Assert.Contains(events.OfType<ExtensionCallStatusChanged>(), e => e.Extension == "1001" && e.Status == ExtensionCallStatus.Ringing);
        Assert.Equal(
            [.. new PbxSimulatorOptions().Extensions],
            api.ExtensionSyncs[0].Select(e => e.Number));
    }

    [Fact]
    public async Task Dial_command_goes_through_the_s_series_rest_and_its_events_come_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings());
        await Eventually.UntilAsync(() => api.Links.Any(l => l.Connected), Timeout, "the link to be reported connected", bridge.Logs.AllText);

        var commandId = api.EnqueueDial("1002", "89991234567", autoAnswer: true);
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == commandId), Timeout, "the dial result", bridge.Logs.AllText);
        var result = api.CommandResults.Single(r => r.CommandId == commandId);
        Assert.Equal((0, "SUCCESS"), (result.Errcode, result.Errmsg));
        var callId = Assert.IsType<string>(result.CallId);
        await Eventually.UntilAsync(
            () => Parsed(api, "s-series-http").OfType<CallStatusChanged>().Any(e => e.CallId == callId && e.Members.Any(m => m.Number == "1002")),
            Timeout,
            "a CallStatus of the dialled call",
            bridge.Logs.AllText);

        // Hang it up through the bridge too: call/query by callid, then call/hangup of the 1002 leg.
        var hangupId = api.EnqueueHangup(callId, "1002");
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == hangupId), Timeout, "the hangup result", bridge.Logs.AllText);
        Assert.Equal(0, api.CommandResults.Single(r => r.CommandId == hangupId).Errcode);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);

        var unknown = api.EnqueueDial("9999", "1001");
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == unknown), Timeout, "the failed dial result", bridge.Logs.AllText);
        Assert.Equal((10006, "FAILED errno 10006"), (api.CommandResults.Single(r => r.CommandId == unknown).Errcode, api.CommandResults.Single(r => r.CommandId == unknown).Errmsg));
    }

    [Fact]
    public async Task A_call_completed_while_the_bridge_was_down_is_backfilled_as_a_newcdr_frame()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        var callId = pbx.StartOutboundCall("1004", "89990001122", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);

        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings());

        await Eventually.UntilAsync(
            () => Parsed(api, "s-series-cdr-backfill").OfType<CallDetailRecord>().Any(c => c.CallId == callId), Timeout, "the backfilled CDR", bridge.Logs.AllText);
        var cdr = Parsed(api, "s-series-cdr-backfill").OfType<CallDetailRecord>().Single(c => c.CallId == callId);
        Assert.Equal((CdrDisposition.Answered, CdrCallType.Outbound, "1004", "89990001122"), (cdr.Disposition, cdr.CallType, cdr.From, cdr.To));
        Assert.Equal(pbx.Calls.Single(c => c.CallId == callId).TalkSeconds, cdr.TalkDurationSeconds);
        Assert.DoesNotContain(api.Frames, f => f.Source == "s-series-http" && f.RawFrame.Contains(callId, StringComparison.Ordinal));
    }

    // As on P-Series: a NewCdr pushed while the extensions still sync (a slow PBX) must not move the backfill's start
    // past calls that ended before the bridge logged in.
    [Fact]
    public async Task A_pushed_cdr_arriving_before_the_backfill_does_not_move_its_window_past_the_gap()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Options();
        options.TimeScale = 60;
        await using var pbx = await PbxSim.StartAsync(options, ct);
        var unseen = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(5), talkFor: null);
        await pbx.WhenCallCompletedAsync(unseen, ct).WaitAsync(Timeout, ct);
        await Task.Delay(TimeSpan.FromSeconds(4), ct);

        pbx.Faults.ExtensionListDelay = TimeSpan.FromSeconds(3);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings());
        await Eventually.UntilAsync(() => pbx.ValidAccessTokenCount > 0, Timeout, "the bridge to log in", bridge.Logs.AllText);
        var live = pbx.StartInboundCall("+79997654321", "1002", ringFor: TimeSpan.FromSeconds(5), talkFor: null);
        await Eventually.UntilAsync(
            () => Parsed(api, "s-series-http").OfType<CallDetailRecord>().Any(c => c.CallId == live), Timeout, "the pushed NewCdr", bridge.Logs.AllText);
        Assert.Equal(0, bridge.Logs.Count("CDR backfill forwarded"));

        await Eventually.UntilAsync(
            () => Parsed(api, "s-series-cdr-backfill").OfType<CallDetailRecord>().Any(c => c.CallId == unseen), Timeout, "the unseen call's CDR", bridge.Logs.AllText);
    }

    [Fact]
    public async Task A_call_whose_events_the_pbx_dropped_in_a_short_outage_is_backfilled_from_the_cdrs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        var settings = Settings();
        settings["YEASTAR_HEARTBEAT_INTERVAL"] = "50";
        settings["YEASTAR_CDR_SWEEP_SECONDS"] = "5";
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, settings);
        await Eventually.UntilAsync(() => bridge.Logs.Count("CDR backfill") >= 1, Timeout, "the first backfill", bridge.Logs.AllText);

        // A short outage: the PBX drops the events it could not push. Whether a heartbeat falls into it (a noticed gap)
        // or not (only the periodic sweep can find the call), the call must come in from the CDRs.
        pbx.Faults.Offline = true;
        var callId = pbx.StartInboundCall("89990001122", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        pbx.Faults.Offline = false;

        await Eventually.UntilAsync(
            () => Parsed(api, "s-series-cdr-backfill").OfType<CallDetailRecord>().Any(c => c.CallId == callId), Timeout, "the swept-in CDR", bridge.Logs.AllText);
        Assert.DoesNotContain(api.Frames, f => f.Source == "s-series-http" && f.RawFrame.Contains(callId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_login_is_reported_with_what_to_fix_and_not_retried_into_the_lock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        var settings = Settings();
        settings["YEASTAR_PASSWORD"] = "wrong-password";
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, settings);

        await Eventually.UntilAsync(
            () => api.Links.Any(l => !l.Connected && l.Reason?.Contains("YEASTAR_PASSWORD", StringComparison.Ordinal) == true),
            Timeout,
            "a link report naming the credentials",
            bridge.Logs.AllText);

        // The dial command needs a token too; it must not trigger another login while logins are on hold.
        var commandId = api.EnqueueDial("1001", "1002");
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == commandId), Timeout, "the dial result", bridge.Logs.AllText);
        Assert.Equal(20003, api.CommandResults.Single(r => r.CommandId == commandId).Errcode);
        Assert.Equal(1, bridge.Logs.Count("refused the S-Series login"));
        Assert.DoesNotContain("wrong-password", bridge.Logs.AllText(), StringComparison.Ordinal);
        Assert.Equal(0, pbx.ValidAccessTokenCount);
    }

    [Fact]
    public async Task Refused_logins_stop_after_four_so_the_pbx_never_locks_the_ip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        var settings = Settings();
        settings["YEASTAR_PASSWORD"] = "wrong-password";
        settings["YEASTAR_AUTH_RETRY_SECONDS"] = "1";
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, settings);

        await StoppedLogins.AssertStoppedBeforeTheIpBlockAsync(pbx, api, bridge, refusalErrcode: 20003);
    }

    private static PbxSimulatorOptions Options()
    {
        var options = SSeriesSimulatorTests.SOptions(timeScale: 10);
        options.ClientId = BridgeUnderTest.ClientId;
        options.ClientSecret = BridgeUnderTest.ClientSecret;
        return options;
    }

    // BRIDGE_PUBLIC_URL is left unset: the bridge registers its own bound address (127.0.0.1:port) as the event URL.
    private static Dictionary<string, string?> Settings() => new()
    {
        ["YEASTAR_API_VERSION"] = "v2.0.0",
        ["YEASTAR_TIMEZONE"] = new PbxSimulatorOptions().TimeZone,
    };

    private static List<PbxEvent> Parsed(FakeTelephonyApi api, string source)
    {
        var events = new List<PbxEvent>();
        foreach (var frame in api.Frames.Where(f => f.Source == source))
        {
            var text = frame.RawFrame;
            if (frame.Kind == JsonValueKind.String)
            {
                using var wrapped = JsonDocument.Parse(frame.RawFrame);
                text = wrapped.RootElement.GetString()!;
            }

            var result = PbxFrameParser.Parse(text, frame.Source);
            Assert.True(result.Event is not null, $"unparsable {source} frame: {result.Error}\n{text}");
            events.Add(result.Event!);
        }

        return events;
    }
}
