using System.Diagnostics;
using System.Globalization;

namespace Telephony.FaultTests.Fleet;

/// <summary>
/// Issue 11 §3: fleet bridges (TELEPHONY_FLEET_KEY) serving PBXs whose connections tenants stored through the admin API,
/// against the real API and PostgreSQL and simulated PBXs over pinned HTTPS. Each scenario ends with the fault suite's
/// verdict: every PBX's call log equals its simulator's record, call by call.
/// </summary>
public sealed class FleetBridgeTests
{
    private static readonly TimeSpan PickUp = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_fleet_bridge_serves_pbxs_of_two_tenants_of_both_kinds_and_every_call_is_logged()
    {
        await using var rig = await FleetRig.StartAsync(Ct);
        var (first, second) = (await rig.CreateTenantAsync(), await rig.CreateTenantAsync());
        FleetRigPbx[] pbxes =
        [
            await rig.AddPbxAsync(first, "p1", "p-series", calls: 40, seed: 2101, Ct),
            await rig.AddPbxAsync(first, "s1", "s-series", calls: 40, seed: 2102, Ct),

            // The same PBX id in another tenant: a different PBX.
            await rig.AddPbxAsync(second, "p1", "p-series", calls: 40, seed: 2103, Ct),
            await rig.AddPbxAsync(second, "s1", "s-series", calls: 40, seed: 2104, Ct),
        ];
        var bridge = await rig.StartInProcessBridgeAsync("fleet-a", Ct);
        await rig.WaitForLinksAsync(pbxes, PickUp, Ct);

        await Task.WhenAll(pbxes.Select(p => p.Driver.RunAsync(Ct)));

        await rig.AssertCallLogsMatchAsync("fleet (one bridge, 4 PBXs)", pbxes, Ct);
        foreach (var pbx in pbxes)
        {
            Assert.True((await rig.LinkAsync(pbx, Ct)).Connected, $"{pbx}: the API does not show its link up");
        }

        Assert.All((await rig.LeaseHoldersAsync(Ct)).Values, holder => Assert.Equal("fleet-a", holder));
        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };
        using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Pbxs_added_changed_and_removed_through_the_admin_api_are_picked_up_while_traffic_flows()
    {
        await using var rig = await FleetRig.StartAsync(Ct);
        var (first, second) = (await rig.CreateTenantAsync(), await rig.CreateTenantAsync());
        var kept = await rig.AddPbxAsync(first, "p1", "p-series", calls: 60, seed: 2201, Ct);
        var keptS = await rig.AddPbxAsync(first, "s1", "s-series", calls: 60, seed: 2202, Ct);
        var removed = await rig.AddPbxAsync(second, "p1", "p-series", calls: 20, seed: 2203, Ct);
        await rig.StartInProcessBridgeAsync("fleet-b", Ct);
        await rig.WaitForLinksAsync([kept, keptS, removed], PickUp, Ct);
        var traffic = new List<Task> { kept.Driver.RunAsync(Ct), keptS.Driver.RunAsync(Ct) };
        var removedTraffic = removed.Driver.RunAsync(Ct);

        // Added while calls flow: linked within 30 s without a restart; its calls from before the link come by backfill.
        await kept.Driver.WhenCompletedAsync(10, Ct);
        var added = await rig.AddPbxAsync(second, "s1", "s-series", calls: 30, seed: 2204, Ct);
        traffic.Add(added.Driver.RunAsync(Ct));
        await rig.WaitForLinksAsync([added], PickUp, Ct);

        // Removed once its traffic is logged: its link stops within 30 s, and a call after that is not logged.
        await removedTraffic;
        await rig.AssertCallLogsMatchAsync("fleet (before removal)", [removed], Ct);
        await rig.RemoveFromFleetAsync(removed, Ct);
        await Eventually.UntilAsync(() => removed.Pbx.ActiveSocketCount == 0, PickUp, "the removed PBX's WebSocket to close");
        await UntilLinkAsync(rig, removed, link => !link.Connected && link.Reason == "Bridge stopped");
        await UntilHoldersAsync(rig, h => !h.ContainsKey((removed.TenantId, removed.PbxId)), "the removed PBX's lease to be released");
        var afterRemoval = removed.Pbx.StartInboundCall("89160000077", "2001", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        await removed.Pbx.WhenCallCompletedAsync(afterRemoval, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await Task.WhenAll(traffic);
        await rig.AssertCallLogsMatchAsync("fleet (added and removed while traffic flowed)", [kept, keptS, added], Ct);
        var (problems, _, _) = await CallLogComparison.CompareAsync(rig.Database, removed.TenantId, removed.PbxId, removed.Pbx.Calls, Ct);
        var missing = Assert.Single(problems);
        Assert.StartsWith(afterRemoval, missing, StringComparison.Ordinal);
        Assert.EndsWith("missing from the call log", missing, StringComparison.Ordinal);

        // A changed connection restarts the link with the new settings: a wrong pin is refused, the right one links again.
        await rig.PinAsync(kept, new string('A', 64), Ct);
        await Eventually.UntilAsync(() => kept.Pbx.ActiveSocketCount == 0, PickUp, "the link to restart with the wrong pin");
        await UntilLinkAsync(rig, kept, link => !link.Connected && link.Reason?.Contains("not the pinned one", StringComparison.Ordinal) == true);
        await rig.PinAsync(kept, rig.Fingerprint, Ct);
        await rig.WaitForLinksAsync([kept], PickUp, Ct);
        await UntilLinkAsync(rig, kept, link => link.Connected);
    }

    [Fact]
    public async Task A_second_fleet_bridge_is_handed_a_share_and_when_the_first_is_killed_the_other_takes_over_and_no_call_is_lost()
    {
        await using var rig = await FleetRig.StartAsync(Ct);
        var (first, second) = (await rig.CreateTenantAsync(), await rig.CreateTenantAsync());
        FleetRigPbx[] pbxes =
        [
            await rig.AddPbxAsync(first, "p1", "p-series", calls: 200, seed: 2301, Ct),
            await rig.AddPbxAsync(first, "s1", "s-series", calls: 200, seed: 2302, Ct),
            await rig.AddPbxAsync(second, "p1", "p-series", calls: 200, seed: 2303, Ct),
            await rig.AddPbxAsync(second, "s1", "s-series", calls: 200, seed: 2304, Ct),
        ];
        // fleet-a starts alone and takes every PBX; fleet-b, started next, announces itself and is handed its share.
        var a = rig.StartChildBridge("fleet-a");
        await rig.WaitForLinksAsync(pbxes, TimeSpan.FromSeconds(60), Ct);
        Assert.All((await rig.LeaseHoldersAsync(Ct)).Values, holder => Assert.Equal("fleet-a", holder));
        var b = rig.StartChildBridge("fleet-b");
        await UntilHoldersAsync(rig, holders => holders.Values.Distinct().Count() == 2, "fleet-a to hand fleet-b a share", TimeSpan.FromSeconds(60));
        await rig.WaitForLinksAsync(pbxes, TimeSpan.FromSeconds(60), Ct);

        var traffic = Task.WhenAll(pbxes.Select(p => p.Driver.RunAsync(Ct)));
        await Task.WhenAll(pbxes.Select(p => p.Driver.WhenCompletedAsync(30, Ct)));
        var holders = await rig.LeaseHoldersAsync(Ct);
        var victims = pbxes.Where(p => holders[(p.TenantId, p.PbxId)] == "fleet-a").ToList();
        Assert.NotEmpty(victims);
        var clock = Stopwatch.StartNew();
        await a.KillAsync();

        // Its leases lapse (30 s) and fleet-b's next pass takes them: linked again well within 60 s.
        await UntilHoldersAsync(rig, h => victims.All(p => h.GetValueOrDefault((p.TenantId, p.PbxId)) == "fleet-b"), "fleet-b to hold the killed bridge's PBXs", TimeSpan.FromSeconds(60));
        await rig.WaitForLinksAsync(victims, TimeSpan.FromSeconds(60) - clock.Elapsed, Ct);
        var takeover = clock.Elapsed;
        Assert.True(takeover <= TimeSpan.FromSeconds(60), $"the takeover took {takeover.TotalSeconds:F1}s");

        await traffic;
        var summary = await rig.AssertCallLogsMatchAsync(
            string.Create(CultureInfo.InvariantCulture, $"fleet failover ({victims.Count} PBXs taken over in {takeover.TotalSeconds:F1}s)"), pbxes, Ct);
        Assert.False(b.HasExited, $"fleet-b exited: {b.RecentLog}");
        Assert.Contains("taken over", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_pbxs_of_five_tenants_of_both_kinds_on_one_fleet_bridge_process_are_all_logged()
    {
        await using var rig = await FleetRig.StartAsync(Ct);
        var pbxes = new List<FleetRigPbx>();
        for (var t = 0; t < 5; t++)
        {
            var tenant = await rig.CreateTenantAsync();
            for (var i = 0; i < 10; i++)
            {
                var kind = i % 2 == 0 ? "p-series" : "s-series";
                var id = string.Create(CultureInfo.InvariantCulture, $"{kind[0]}{i:D2}");
                pbxes.Add(await rig.AddPbxAsync(tenant, id, kind, calls: 10, seed: 2400 + (t * 10) + i, Ct, concurrency: 2, extensions: 8));
            }
        }

        var bridge = rig.StartChildBridge("fleet-50");
        var clock = Stopwatch.StartNew();
        await rig.WaitForLinksAsync(pbxes, TimeSpan.FromSeconds(90), Ct);
        var linkedIn = clock.Elapsed;

        await Task.WhenAll(pbxes.Select(p => p.Driver.RunAsync(Ct)));
        var rss = ResidentMegabytes(bridge.ProcessId);
        await rig.AssertCallLogsMatchAsync(
            string.Create(CultureInfo.InvariantCulture, $"fleet (50 PBXs on one bridge process, linked in {linkedIn.TotalSeconds:F1}s, bridge VmRSS {rss:F0} MB = {rss / pbxes.Count:F1} MB per PBX)"),
            pbxes,
            Ct);
        Assert.False(bridge.HasExited, bridge.RecentLog);
    }

    private static async Task UntilHoldersAsync(
        FleetRig rig, Func<Dictionary<(string TenantId, string PbxId), string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout ?? PickUp);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (!condition(await rig.LeaseHoldersAsync(cts.Token)))
            {
                await tick.WaitForNextTickAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out waiting for {what}; leases: {string.Join(", ", (await rig.LeaseHoldersAsync(Ct)).Select(h => $"{h.Key.TenantId}/{h.Key.PbxId}={h.Value}"))}\n{rig.BridgeLogs()}");
        }
    }

    private static async Task UntilLinkAsync(FleetRig rig, FleetRigPbx pbx, Func<(bool Connected, string? Reason), bool> condition)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(PickUp);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        (bool Connected, string? Reason) link = default;
        try
        {
            while (!condition(link = await rig.LinkAsync(pbx, cts.Token)))
            {
                await tick.WaitForNextTickAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{pbx}: the link status never met the condition; last: connected={link.Connected} reason={link.Reason}");
        }
    }

    // VmRSS from /proc, as bench/ samples the single-PBX bridge.
    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}
