using System.Globalization;
using Npgsql;
using Telephony.Benchmarks;

// bench/run: one fresh database, the API in its own process, then each scenario beside its same-run baseline.
var options = BenchOptions.Parse(args);
string F(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);

var table = new ResultTable();
if (options.Only is "history")
{
    await HistoryScenario.RunAsync(options, table);
    return await table.WriteAsync(options);
}

var server = new NpgsqlConnectionStringBuilder(options.PostgresServer);
var databaseName = $"telephony_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
await using (var admin = NpgsqlDataSource.Create(server.ConnectionString))
{
    await using var create = admin.CreateCommand($"create database {databaseName}");
    await create.ExecuteNonQueryAsync();
}

var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = databaseName };
Console.WriteLine($"bench: {options.Describe()}, database {databaseName}");
try
{
    await using var data = NpgsqlDataSource.Create(database.ConnectionString);
    await using var api = await ApiProcess.StartAsync(options, $"postgresql://{database.Username}@{database.Host}:{database.Port}/{databaseName}");
    table.Add(new ResultRow("API ready after process start (fresh database, migrations)", $"{F(api.ReadyAfter.TotalSeconds, "F2")} s", "-", "-", "≤ 3 s", api.ReadyAfter <= TimeSpan.FromSeconds(3)));

    var fleet = await BenchFleet.CreateAsync(api.BaseUrl, tenants: 10, pbxesPerTenant: 5);
    var baseline = await PostgresBaseline.OneRowTransactionsPerSecondAsync(options.PgBench, database, options.BaselineSeconds);
    var baselineText = $"{F(baseline)} one-row tx/s (pgbench, 4 clients)";

    // A server carries load warm: the runtime re-compiles its hot code (tiered JIT) for tens of seconds on this machine
    // after start, which is start-up, not throughput. Untimed traffic first, checked like the rest.
    if (options.Runs("pop") || options.Runs("ingest"))
    {
        var warm = await IngestScenario.RunAsync(api.BaseUrl, fleet.Pbxes, options.WarmUpDuration, data, seed: 99, tag: "w-");
        Console.WriteLine($"  warm-up: {F(warm.FramesPerSecond)} frames/s for {F(options.WarmUpDuration.TotalSeconds)} s, {warm.LoggedRight} of {warm.Calls} calls logged right");
    }

    // Pops first, on a quiet service; then under other tenants' traffic.
    var popPbx = fleet.Pbxes[0];
    var agentKey = fleet.AgentKeys[popPbx.TenantId];
    if (options.Runs("pop"))
    {
        var idle = await PopScenario.IdleAsync(api.BaseUrl, popPbx, agentKey, options.PopSamples);
        table.Add(new ResultRow("Screen pop, idle: ringing frame → SignalR client (p50 / p99)", $"{F(idle.P50, "F1")} / {F(idle.P99, "F1")} ms", "-", "-", "info", null));
        var others = fleet.Pbxes.Where(p => p.TenantId != popPbx.TenantId).Take(10).ToList();
        var loaded = await PopScenario.UnderLoadAsync(api.BaseUrl, popPbx, agentKey, others, framesPerSecond: 1000, options.PopSamples, seed: 7);
        table.Add(new ResultRow(
            $"Screen pop under {F(loaded.OtherFramesPerSecond)} frames/s of other tenants (p50 / p99)",
            $"{F(loaded.Pops.P50, "F1")} / {F(loaded.Pops.P99, "F1")} ms",
            $"idle p99 {F(idle.P99, "F1")} ms",
            $"{F(loaded.Pops.P99 / idle.P99, "F2")}×",
            "p99 ≤ 25 ms and ≤ 2× idle",
            loaded.Pops.P99 <= 25 && loaded.Pops.P99 <= 2 * idle.P99 && loaded.OtherFramesPerSecond >= 900));
    }

    foreach (var pbxes in options.Runs("ingest") ? new[] { fleet.Pbxes.Take(1).ToList(), fleet.Pbxes.ToList() } : [])
    {
        var tenants = pbxes.Select(p => p.TenantId).Distinct().Count();
        var who = $"{pbxes.Count} PBX(s) of {tenants} tenant(s), batches of {IngestScenario.BatchSize}, {F(options.IngestDuration.TotalSeconds)} s";

        // Flat out: the most the service takes (each PBX posts its next batch once the last was accepted).
        var flat = await IngestScenario.RunAsync(api.BaseUrl, pbxes, options.IngestDuration, data, seed: pbxes.Count * 1000);
        table.Add(new ResultRow(
            $"Ingest flat out, {who}",
            $"{F(flat.FramesPerSecond)} frames/s",
            baselineText,
            $"{F(flat.FramesPerSecond / baseline, "F2")}×",
            "≥ 10,000 frames/s and ≥ 2.3×",
            flat.FramesPerSecond >= 10_000 && flat.FramesPerSecond >= 2.3 * baseline));
        AddLatencyAndLog(flat, "info (flat out: in flight / rate)", null);

        // Paced: 10,000 frames/s offered on a schedule; latency from when each batch was due.
        var paced = await IngestScenario.RunAsync(api.BaseUrl, pbxes, options.IngestDuration, data, seed: pbxes.Count * 1000 + 500, offered: 10_000);
        table.Add(new ResultRow(
            $"Ingest at 10,000 frames/s offered, {who}",
            $"{F(paced.FramesPerSecond)} frames/s taken",
            "10,000 offered",
            $"{F(paced.FramesPerSecond / 10_000, "F2")}×",
            "≥ 0.99× (keeps up)",
            paced.FramesPerSecond >= 9_900));
        AddLatencyAndLog(paced, "p99 ≤ 250 ms", paced.BatchLatency.P99 <= 250);
    }

    void AddLatencyAndLog(IngestScenario.Result result, string latencyTarget, bool? latencyPass)
    {
        var how = result.Offered is null ? "flat out" : "paced, from when due";
        table.Add(new ResultRow(
            $"Ingest batch latency, {how}, {result.Pbxes} PBX(s) (p50 / p99)",
            $"{F(result.BatchLatency.P50)} / {F(result.BatchLatency.P99)} ms",
            "-",
            "-",
            latencyTarget,
            latencyPass));
        table.Add(new ResultRow(
            $"Every call in call_logs once with the right outcome, {how}, {result.Pbxes} PBX(s); all logged {F(result.AppliedAfter.TotalSeconds, "F1")} s after the last timed batch",
            $"{result.LoggedRight} of {result.Calls}",
            "-",
            "-",
            "all",
            result.ExactlyOnce));
        if (result.FirstProblem is not null)
        {
            Console.WriteLine($"  first problem: {result.FirstProblem}");
        }
    }

    table.Add(new ResultRow("API resident memory after the runs", $"{F(api.ResidentMegabytes())} MB", "-", "-", "info", null));

    if (options.Runs("bridge"))
    {
        // The bridge in its own process between the simulator and this API (a "max" above 60 MB fails, as does a slow PBX feed).
        var bridge = await BridgeMemoryScenario.RunAsync(options, api.BaseUrl, data);
        table.Add(new ResultRow(
            $"Bridge resident memory, 1 PBX at {F(bridge.FramesPerSecond)} frames/s (API journaled {F(bridge.JournaledPerSecond)}/s), median / max over {F(bridge.Window.TotalSeconds)} s",
            $"{F(bridge.Loaded.MedianResident, "F1")} / {F(bridge.Loaded.MaxResident, "F1")} MB",
            $"same bridge idle {F(bridge.Idle.MedianResident, "F1")} MB",
            $"{F(bridge.Loaded.MedianResident / bridge.Idle.MedianResident, "F2")}×",
            "max ≤ 60 MB at ≥ 900 frames/s",
            bridge.Loaded.MaxResident <= 60 && bridge.FramesPerSecond >= 900));
        table.Add(new ResultRow(
            "Bridge memory at load: anonymous / file-backed (shared runtime) / shared-memory code",
            $"{F(bridge.Loaded.Median.Anonymous, "F1")} / {F(bridge.Loaded.Median.FileBacked, "F1")} / {F(bridge.Loaded.Median.Shared, "F1")} MB",
            $"idle {F(bridge.Idle.Median.Anonymous, "F1")} / {F(bridge.Idle.Median.FileBacked, "F1")} / {F(bridge.Idle.Median.Shared, "F1")} MB",
            "-",
            "info",
            null));
    }

    if (options.Runs("fleet"))
    {
        // One fleet bridge process serving 1, 10 and 50 PBXs (half S-Series), each with a busy restaurant's traffic.
        var points = await FleetMemoryScenario.RunAsync(options, api.BaseUrl);
        var one = points[0];
        foreach (var point in points.Skip(1))
        {
            var perPbx = (point.Memory.MedianResident - one.Memory.MedianResident) / (point.Pbxes - one.Pbxes);
            table.Add(new ResultRow(
                $"Fleet bridge resident memory, {point.Pbxes} PBXs ({point.SSeries} S-Series) of {point.Tenants} tenant(s), linked in {F(point.LinkedIn.TotalSeconds, "F1")} s, median / max",
                $"{F(point.Memory.MedianResident, "F1")} / {F(point.Memory.MaxResident, "F1")} MB",
                $"same bridge, 1 PBX: {F(one.Memory.MedianResident, "F1")} MB",
                $"{F(point.Memory.MedianResident / one.Memory.MedianResident, "F2")}×",
                "info",
                null));
            table.Add(new ResultRow(
                $"Fleet bridge memory per PBX at {point.Pbxes} PBXs: each PBX over the first / average",
                $"{F(perPbx, "F2")} / {F(point.Memory.MedianResident / point.Pbxes, "F2")} MB",
                "-",
                "-",
                "info (issue 11: report per PBX at 50)",
                null));
        }
    }
}
finally
{
    await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
    await using var drop = admin.CreateCommand($"drop database if exists {databaseName} with (force)");
    await drop.ExecuteNonQueryAsync();
}

// History and stats at 10 million calls, on data sets of their own that later runs reuse.
if (options.Runs("history"))
{
    await HistoryScenario.RunAsync(options, table);
}

return await table.WriteAsync(options);
