using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Telephony.PbxSimulator;

namespace Telephony.FaultTests.Replicas;

/// <summary>
/// Issue 12 §3: two API replicas (processes, one Orleans cluster on Azurite, Redis between their hubs) behind a load
/// balancer under traffic; one is killed (SIGKILL) and started again. The call log must equal the simulator's record, and
/// a browser client on the surviving replica keeps getting pops — for frames it took over and, once the killed replica
/// is back and takes the traffic again, for frames posted to that one.
/// </summary>
public sealed class ReplicaFaultTests(SharedDatabase shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("p-series", 3101)]
    [InlineData("s-series", 3102)]
    public async Task A_replica_killed_and_restarted_under_traffic_loses_no_call_and_pops_keep_arriving_at_the_other(string kind, int seed)
    {
        var clock = Stopwatch.StartNew();
        var database = shared.Database;
        var tenant = await TestTenant.CreateAsync(database, FaultRig.PbxTimeZone);
        var settings = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = database.ConnectionString,
            ["ORLEANS_CLUSTERING"] = "AzureStorage",
            ["AZURE_STORAGE_CONNECTION_STRING"] = TestServices.Azurite,
            ["ORLEANS_CLUSTER_ID"] = $"fault-{Guid.NewGuid():N}",
            ["ORLEANS_ADVERTISED_IP"] = "127.0.0.1",
            ["REDIS_URL"] = TestServices.Redis,
            ["TELEPHONY_ADMIN_KEY"] = ApiHost.AdminKey,
            ["CallTracking__CdrGracePeriod"] = "00:00:03",
        };
        await using var first = new ChildProcessApi("api-1", settings);
        await using var second = new ChildProcessApi("api-2", settings);
        await first.StartAsync(Ct);
        await second.StartAsync(Ct);

        // The load balancer in front of the replicas: it sends the bridge to the first until that one dies.
        await using var balancer = new TcpProxy("127.0.0.1", first.Port);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(
            new PbxSimulatorOptions
            {
                Kind = kind,
                SSeriesEventMaxAttempts = 3,
                SSeriesEventRetryDelay = TimeSpan.FromMilliseconds(100),
                TimeScale = FaultRig.TimeScale,
                Extensions = CallDriver.Extensions(66),
                IdleTimeout = TimeSpan.FromHours(1),
                TimeZone = FaultRig.PbxTimeZone,
                Seed = seed,
            },
            Ct);
        var driver = new CallDriver(pbx, CallDriver.Extensions(64), FaultRig.Calls, concurrency: 20, seed);

        // A browser's client on the second replica, which survives.
        var pops = new ConcurrentQueue<(TimeSpan At, string CallId)>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(second.BaseAddress, "hubs/calls"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(tenant.AgentKey))
            .Build();
        hub.On<JsonElement>("call:ringing", e => pops.Enqueue((clock.Elapsed, e.GetProperty("pbxCallId").GetString()!)));
        await hub.StartAsync(Ct);

        await using var bridge = await BridgeHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["YEASTAR_API_VERSION"] = kind == "s-series" ? "v2.0.0" : "v1.0",
                ["YEASTAR_HOST"] = pbx.BaseUrl.ToString().TrimEnd('/'),
                ["YEASTAR_USERNAME"] = "simulator",
                ["YEASTAR_PASSWORD"] = "simulator-secret",
                ["YEASTAR_HEARTBEAT_INTERVAL"] = "5",
                ["YEASTAR_CDR_SWEEP_SECONDS"] = "10",
                ["YEASTAR_TIMEZONE"] = FaultRig.PbxTimeZone,
                ["TELEPHONY_API_URL"] = $"http://127.0.0.1:{balancer.Port}",
                ["TELEPHONY_BRIDGE_KEY"] = tenant.BridgeKey,
                ["TELEPHONY_PBX_ID"] = tenant.PbxId,
                ["BRIDGE_ID"] = "replica-fault-bridge",
            },
            cancellationToken: Ct);

        var traffic = driver.RunAsync(Ct);
        await driver.WhenCompletedAsync(50, Ct);
        await first.KillAsync();
        var killedAt = clock.Elapsed;
        balancer.Retarget("127.0.0.1", second.Port);
        balancer.CutAll();

        await driver.WhenCompletedAsync(110, Ct);
        await first.StartAsync(Ct);
        var backAt = clock.Elapsed;
        balancer.Retarget("127.0.0.1", first.Port);
        balancer.CutAll();

        await traffic;
        var (problems, correct, rows) = await SettledComparisonAsync(database, tenant, pbx.Calls);
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"replica-kill ({kind}): {pbx.Calls.Count} calls sent, {correct} logged correctly, {rows} rows, {problems.Count} problems; pops at the surviving replica: {pops.Count(p => p.At < killedAt)} before the kill, {pops.Count(p => p.At >= killedAt && p.At < backAt)} while it served alone, {pops.Count(p => p.At >= backAt)} after the restart; {clock.Elapsed.TotalSeconds:F1}s");
        TestContext.Current.SendDiagnosticMessage(summary);
        Assert.True(problems.Count == 0, $"{summary}\n{string.Join('\n', problems.Take(25))}\napi-1:\n{first.RecentLog}\napi-2:\n{second.RecentLog}");

        // Pops keep coming for new calls after the kill. Not necessarily while the survivor serves alone: until the
        // cluster declares the killed silo dead (its missed probes, some 15 s), calls to grains that lived there wait.
        var poppedBefore = pops.Where(p => p.At < killedAt).Select(p => p.CallId).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(pops, p => p.At >= killedAt && !poppedBefore.Contains(p.CallId));

        // After the restart the frames reach the restarted replica: their pops cross to the other one through Redis.
        Assert.Contains(pops, p => p.At >= backAt);
    }

    private static async Task<(IReadOnlyList<string> Problems, int Correct, int Rows)> SettledComparisonAsync(
        TestDatabase database, TestTenant tenant, IReadOnlyList<SimulatedCall> expected)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        (IReadOnlyList<string> Problems, int Correct, int Rows) last = ([], 0, 0);
        try
        {
            do
            {
                last = await CallLogComparison.CompareAsync(database, tenant.TenantId, pbxId: null, expected, cts.Token);
            }
            while (last.Problems.Count > 0 && await tick.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // Not settled in time: the last comparison is the verdict.
        }

        return last;
    }
}
