using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed partial class CdrBackfillTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Calls_that_ended_before_the_bridge_started_arrive_as_cdr_backfill_frames()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(PbxCommandTests.SimulatorOptions(), ct);
        var callId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);

        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, PbxTimeZone());

        await Eventually.UntilAsync(() => BackfilledRow(api, callId) is not null, Timeout, "the missed call's CDR from cdr/search", bridge.Logs.AllText);
        var row = BackfilledRow(api, callId)!.Value;
        Assert.Equal("ANSWERED", row.GetProperty("disposition").GetString());
        Assert.Equal("Inbound", row.GetProperty("call_type").GetString());
        Assert.DoesNotContain(api.Frames, f => f.Source == "websocket" && f.RawFrame.Contains(callId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Newest_cdr_time_survives_a_restart_and_the_gap_is_backfilled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(PbxCommandTests.SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        var settings = PbxTimeZone();
        settings["BRIDGE_DATA_DIR"] = BridgeUnderTest.NewDataDir();
        var stateFile = Path.Combine(settings["BRIDGE_DATA_DIR"]!, "last-cdr-time");

        string liveTimeStart;
        await using (var first = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, settings))
        {
            await Eventually.UntilAsync(() => first.Logs.Count("CDR backfill forwarded") == 1, Timeout, "the first backfill", first.Logs.AllText);
            var live = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2));
            await Eventually.UntilAsync(() => PbxConnectionTests.HasCdr(api, live), Timeout, "the live CDR", first.Logs.AllText);
            liveTimeStart = TimeStartOf(api, live);
        }

        Assert.Equal(liveTimeStart, (await File.ReadAllTextAsync(stateFile, ct)).Trim());

        var missed = pbx.StartInboundCall("+79997654321", "1002", ringFor: TimeSpan.FromSeconds(1), talkFor: null);
        await pbx.WhenCallCompletedAsync(missed, ct).WaitAsync(Timeout, ct);

        await using var second = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, settings);
        await Eventually.UntilAsync(() => BackfilledRow(api, missed) is not null, Timeout, "the gap's CDR from cdr/search", second.Logs.AllText);
        Assert.Equal("NO ANSWER", BackfilledRow(api, missed)!.Value.GetProperty("disposition").GetString());

        // The search started two minutes before the remembered time, not 24 hours back.
        await Eventually.UntilAsync(() => second.Logs.Count("CDR backfill forwarded") == 1, Timeout, "the backfill log", second.Logs.AllText);
        var start = BackfillStart().Match(second.Logs.Entries.First(e => e.Message.Contains("CDR backfill forwarded", StringComparison.Ordinal)).Message);
        Assert.True(start.Success, "the backfill log names its start");
        Assert.InRange(DateTimeOffset.Parse(start.Groups[1].Value, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
    }

    // The gap's start is pinned when the link comes up: a live CDR that arrives while the extensions still sync (a slow
    // PBX) must not move the backfill's start past calls that ended before the bridge was there.
    [Fact]
    public async Task A_live_cdr_arriving_before_the_backfill_does_not_move_its_window_past_the_gap()
    {
        var ct = TestContext.Current.CancellationToken;

        // ×60: two simulated minutes (the watermark's overlap) pass in two real seconds.
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(PbxConnectionTests.SimulatorOptions(timeScale: 60, idleTimeout: TimeSpan.FromMinutes(30)), ct);
        var unseen = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(5), talkFor: null);
        await pbx.WhenCallCompletedAsync(unseen, ct).WaitAsync(Timeout, ct);
        await Task.Delay(TimeSpan.FromSeconds(4), ct);

        pbx.Faults.ExtensionListDelay = TimeSpan.FromSeconds(3);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, PbxTimeZone());
        await Eventually.UntilAsync(() => pbx.ActiveSocketCount > 0, Timeout, "the bridge to subscribe", bridge.Logs.AllText);
        var live = pbx.StartInboundCall("+79997654321", "1002", ringFor: TimeSpan.FromSeconds(5), talkFor: null);
        await Eventually.UntilAsync(() => PbxConnectionTests.HasCdr(api, live), Timeout, "the live CDR", bridge.Logs.AllText);
        Assert.Equal(0, bridge.Logs.Count("CDR backfill forwarded"));

        await Eventually.UntilAsync(() => bridge.Logs.Count("CDR backfill forwarded") == 1, Timeout, "the backfill after the extension sync", bridge.Logs.AllText);
        Assert.NotNull(BackfilledRow(api, unseen));
    }

    [GeneratedRegex(@"CDRs from (\S+) to ")]
    private static partial Regex BackfillStart();

    // The simulator's wall clock zone, so 30012 time_start and cdr/search bounds mean the same instants.
    private static Dictionary<string, string?> PbxTimeZone() => new() { ["YEASTAR_TIMEZONE"] = new PbxSimulatorOptions().TimeZone };

    private static JsonElement? BackfilledRow(FakeTelephonyApi api, string callId)
    {
        foreach (var frame in api.Frames.Where(f => f.Source == "cdr-backfill" && f.Kind == JsonValueKind.Object))
        {
            using var document = JsonDocument.Parse(frame.RawFrame);
            if (document.RootElement.TryGetProperty("call_id", out var id) && id.GetString() == callId)
            {
                return document.RootElement.Clone();
            }
        }

        return null;
    }

    private static string TimeStartOf(FakeTelephonyApi api, string callId)
    {
        var frame = api.Frames.First(f => PbxConnectionTests.IsEvent(f, 30012) && f.RawFrame.Contains(callId, StringComparison.Ordinal));
        using var document = JsonDocument.Parse(frame.RawFrame);
        using var msg = JsonDocument.Parse(document.RootElement.GetProperty("msg").GetString()!);
        return msg.RootElement.GetProperty("time_start").GetString()!;
    }
}
