using Telephony.PbxBridge;

namespace Telephony.FaultTests;

/// <summary>
/// Each test drives 200 simulated calls with mixed outcomes through simulator → bridge → API → PostgreSQL while one
/// fault happens, toggled at points in the traffic (after K calls completed), then asserts that the call log equals
/// the simulator's record. Tests run one after another (xunit.runner.json): each is a whole system under load.
/// </summary>
public sealed class FaultInjectionTests(SharedDatabase shared)
{

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebSocket_dropped_mid_call_repeatedly()
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 101, Ct);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);
        foreach (var at in new[] { 30, 70, 110, 150, 190 })
        {
            await rig.Driver.WhenCompletedAsync(at, Ct);
            rig.Pbx.Faults.DropAllSockets();
            await rig.WaitForSocketAsync(Ct);
        }

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync("websocket-drop", Ct);
    }

    // S-Series has no socket to drop; its counterpart is a PBX that cannot be reached at all for a while.
    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Pbx_unreachable_for_a_while(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 111, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);
        await rig.OfflineWhileCallsCompleteAsync([(40, 70), (120, 150)], Ct);

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"pbx-unreachable ({kind})", Ct);
    }

    // Issue 9: a PBX that shows dates day-first with a 12-hour clock, on firmware whose cdr/search rows carry no Unix
    // timestamp, is unreachable while calls end, so their CDRs come only through the backfill; and a share of calls
    // cannot be routed: 30015 with "members": null and no 30012, so only a backfill finds their CDR.
    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Day_first_pbx_backfilled_and_failed_calls_without_members(string kind)
    {
        await using var rig = await FaultRig.StartAsync(
            shared.Database,
            seed: 1001,
            Ct,
            kind: kind,
            pbxSettings: pbx =>
            {
                pbx.DateFormat = "DD/MM/YYYY";
                pbx.TwelveHourClock = true;
                pbx.CdrRowsHaveTimestamp = false;
            },
            dateFormat: "DD/MM/YYYY",
            unroutableShare: 0.1);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);
        await rig.OfflineWhileCallsCompleteAsync([(40, 80), (130, 170)], Ct);

        await traffic;
        var failed = rig.Pbx.Calls.Count(c => c.Outcome == "failed");
        Assert.True(failed >= 10, $"only {failed} calls could not be routed");
        await rig.AssertCallLogMatchesSimulatorAsync($"day-first-backfill-and-null-members ({kind}, {failed} unroutable)", Ct);

        // Counted once the log matches: on a busy machine the backfill may still be journaling when the traffic ends.
        var backfilled = await rig.CountJournaledAsync(kind == "s-series" ? "s-series-cdr-backfill" : "cdr-backfill", Ct);
        Assert.True(backfilled >= 20, $"only {backfilled} CDRs came through the backfill");
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Pbx_rejects_tokens_for_a_while(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 202, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);

        await rig.Driver.WhenCompletedAsync(50, Ct);
        rig.Pbx.Faults.RejectTokens = true;
        rig.Pbx.Faults.ExpireAllTokens();
        rig.Pbx.Faults.DropAllSockets();

        // The bridge keeps trying, spaced by YEASTAR_AUTH_RETRY_SECONDS, and cannot get back in meanwhile.
        await Eventually.UntilAsync(() => rig.Pbx.Faults.RefusedLogins >= 2, TimeSpan.FromSeconds(30), "two refused logins");
        Assert.False(rig.IsLinked, "the bridge got a link while every token and login was refused");
        rig.Pbx.Faults.RejectTokens = false;
        await rig.WaitForRelinkAsync(Ct);

        await traffic;

        // It never spent the PBX's whole allowance of failed logins, so the PBX never blocked its IP.
        Assert.InRange(rig.Pbx.Faults.RefusedLogins, 2, LoginGuard.MaxRefusalsInARow);
        Assert.Equal(0, rig.Pbx.Faults.IpLockouts);
        await rig.AssertCallLogMatchesSimulatorAsync($"tokens-rejected ({kind}, {rig.Pbx.Faults.RefusedLogins} logins refused)", Ct);
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Token_expiry_during_traffic(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 303, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);
        foreach (var at in new[] { 40, 100, 160 })
        {
            await rig.Driver.WhenCompletedAsync(at, Ct);
            rig.Pbx.Faults.ExpireAllTokens();
            rig.Pbx.Faults.DropAllSockets();
            await rig.WaitForRelinkAsync(Ct);
        }

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"token-expiry ({kind})", Ct);
    }

    // Regression: the backfill once gave up on the first cdr/search error, so calls that ended in the gap were lost.
    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Cdr_search_errors_on_first_tries_after_a_drop(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 404, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);
        foreach (var at in new[] { 50, 120 })
        {
            await rig.Driver.WhenCompletedAsync(at, Ct);
            rig.Pbx.Faults.CdrSearchFailures = 2;

            // A P-Series gap is a dropped socket; an S-Series bridge backfills after a new login, which expiry forces.
            rig.Pbx.Faults.DropAllSockets();
            if (kind == "s-series")
            {
                rig.Pbx.Faults.ExpireAllTokens();
            }

            await rig.WaitForRelinkAsync(Ct);
        }

        await traffic;
        Assert.True(rig.Pbx.Faults.FailedCdrSearches >= 1, "the bridge never asked for CDRs, so the fault never happened");
        await rig.AssertCallLogMatchesSimulatorAsync($"cdr-search-errors ({kind})", Ct);
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Frames_delivered_twice_and_out_of_order(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 505, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        rig.Pbx.Faults.DuplicateAndReorderFrames = true;
        await rig.Driver.RunAsync(Ct);

        // Every call has several events, each sent twice; swaps need two calls' events queued back to back.
        Assert.True(rig.Pbx.Faults.DuplicatedFrames > 3 * rig.Driver.Total, $"only {rig.Pbx.Faults.DuplicatedFrames} frames were duplicated");
        Assert.True(rig.Pbx.Faults.ReorderedFrames > 20, $"only {rig.Pbx.Faults.ReorderedFrames} frame pairs were swapped");
        await rig.AssertCallLogMatchesSimulatorAsync(
            $"duplicate-reorder ({kind}, dup {rig.Pbx.Faults.DuplicatedFrames}, swapped {rig.Pbx.Faults.ReorderedFrames})", Ct);
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Api_process_stopped_and_restarted(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 606, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);

        await rig.Driver.WhenCompletedAsync(60, Ct);
        await rig.RestartApiAsync(whileDown: () => rig.Driver.WhenCompletedAsync(110, Ct));
        Assert.True(rig.ApiProxy.RefusedConnections > 0, "the bridge never noticed the API was down");

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"api-restart ({kind})", Ct);
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task PostgreSql_stopped_and_restarted(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 707, Ct, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);

        await rig.Driver.WhenCompletedAsync(60, Ct);
        rig.DbProxy.GoDown();
        await rig.Driver.WhenCompletedAsync(110, Ct);
        rig.DbProxy.Refusing = false;
        Assert.True(rig.DbProxy.RefusedConnections > 0, "the API never noticed PostgreSQL was down");

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"postgres-restart ({kind})", Ct);
    }

    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Bridge_killed_and_restarted(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 808, Ct, kind: kind);
        var first = await rig.StartChildBridgeAsync(Ct);
        var traffic = rig.Driver.RunAsync(Ct);

        await rig.Driver.WhenCompletedAsync(70, Ct);
        await first.KillAsync();
        await first.DisposeAsync();
        await rig.Driver.WhenCompletedAsync(90, Ct);
        await rig.StartChildBridgeAsync(Ct);

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"bridge-kill ({kind})", Ct);
    }

    // Regression: a call longer than the backfill overlap that ends in a gap has its CDR stamped with its (older) start;
    // the backfill window now reaches back to the start of every call seen live without a CDR.
    [Theory]
    [InlineData("p-series")]
    [InlineData("s-series")]
    public async Task Long_call_ending_while_the_link_is_down(string kind)
    {
        await using var rig = await FaultRig.StartAsync(shared.Database, seed: 909, Ct, calls: 260, kind: kind);
        await rig.StartInProcessBridgeAsync(Ct);
        var longCall = rig.Pbx.StartInboundCall("89160000001", FaultRig.SpareExtension, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(240));
        var longStart = DateTimeOffset.FromUnixTimeSeconds(long.Parse(longCall.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture));
        var traffic = rig.Driver.RunAsync(Ct);

        // Once a call that started more than 2 minutes (simulated) after the long call is logged, the bridge's mark is past it.
        await Eventually.UntilAsync(
            () => rig.Pbx.Calls.Any(c => c.StartedAt > longStart + TimeSpan.FromSeconds(150)), TimeSpan.FromSeconds(60), "traffic to move 150 s past the long call");
        var marker = rig.Pbx.Calls.First(c => c.StartedAt > longStart + TimeSpan.FromSeconds(150)).CallId;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (!await rig.IsLoggedAsEndedAsync(marker, cts.Token))
            {
                await tick.WaitForNextTickAsync(cts.Token);
            }
        }

        rig.Pbx.Faults.Offline = true;
        await rig.Pbx.WhenCallCompletedAsync(longCall, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        rig.Pbx.Faults.Offline = false;
        await rig.WaitForRelinkAsync(Ct);

        await traffic;
        await rig.AssertCallLogMatchesSimulatorAsync($"long-call-in-gap ({kind})", Ct);
    }
}
