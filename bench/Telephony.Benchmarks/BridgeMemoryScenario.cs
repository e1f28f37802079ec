using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>
/// The bridge's resident memory while one PBX (the bundled simulator, over its WebSocket) sends it about 1,000 frames/s
/// and it forwards them to the API — beside the same bridge connected to an idle PBX, which is what the runtime, the
/// host and the bridge's own set-up cost before any traffic: the difference is what traffic costs.
/// The frames are counted from the API's journal (by the bridge's receive time), not assumed from the simulator's rate.
/// </summary>
internal static class BridgeMemoryScenario
{
    // Simulated seconds per real second. Calls last 2–260 simulated seconds, so at ×10 a call is 0.2–26 s of real time,
    // and the simulator's 60 s idle drop is 6 s (the bridge heartbeats every second, with room for a busy machine).
    private const double TimeScale = 10;

    // A call is ~8 frames (30011 snapshots for ring, answer and each hang-up, 30008 per extension change, the 30012 CDR),
    // so ~1,000 frames/s is ~125 calls a real second, ~750 a simulated minute; calls use idle phones only, and ~1,500
    // are in progress at once, hence 3,000 extensions. On this 2-core machine the simulator delivered 65-75% of that
    // (733 frames/s at 750 a minute, 894 at 1,050), so it is asked for 1,050.
    private const double CallsPerSimulatedMinute = 1050;
    private const int Extensions = 3000;

    public sealed record Result(
        ProcessMemorySummary Loaded,
        ProcessMemorySummary Idle,
        double FramesPerSecond,
        double JournaledPerSecond,
        TimeSpan Window);

    /// <summary>Median and max VmRSS over the samples, and the median sample's parts.</summary>
    public sealed record ProcessMemorySummary(double MedianResident, double MaxResident, ProcessMemory Median, int Samples)
    {
        public static ProcessMemorySummary Of(IReadOnlyList<ProcessMemory> samples)
        {
            var sorted = samples.OrderBy(s => s.Resident).ToList();
            var median = sorted[(sorted.Count - 1) / 2];
            return new ProcessMemorySummary(median.Resident, sorted[^1].Resident, median, sorted.Count);
        }
    }

    public static async Task<Result> RunAsync(BenchOptions options, Uri api, NpgsqlDataSource data)
    {
        var pbx = await CreatePbxAsync(api);
        var settle = options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        var idleWindow = options.Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);

        // Calls ramp up for as long as the longest lasts (~26 s) before the frame rate is steady.
        var warmUp = options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(30);
        var window = options.Quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(30);
        var interval = TimeSpan.FromMilliseconds(250);

        ProcessMemorySummary idle;
        await using (var quiet = await PbxSimulatorProcess.StartAsync(options.SimulatorDll, 0, TimeScale, Extensions, seed: 11))
        await using (var bridge = await BridgeProcess.StartAsync(options.BridgeProgram, quiet.BaseUrl, api, pbx))
        {
            await Task.Delay(settle);
            idle = ProcessMemorySummary.Of(await bridge.SampleMemoryAsync(idleWindow, interval));
        }

        var simulator = await PbxSimulatorProcess.StartAsync(options.SimulatorDll, CallsPerSimulatedMinute, TimeScale, Extensions, seed: 12);
        try
        {
            await using var bridge = await BridgeProcess.StartAsync(options.BridgeProgram, simulator.BaseUrl, api, pbx);
            await Task.Delay(warmUp);
            var from = DateTimeOffset.UtcNow;
            var loaded = ProcessMemorySummary.Of(await bridge.SampleMemoryAsync(window, interval));
            var to = DateTimeOffset.UtcNow;

            // Stop the PBX, let the bridge hand the API what it still holds, then count what it received in the window.
            await simulator.DisposeAsync();
            await WaitForDrainAsync(data, pbx, options.Quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(120));
            var (received, journaled) = await CountFramesAsync(data, pbx, from, to);
            var seconds = (to - from).TotalSeconds;
            return new Result(loaded, idle, received / seconds, journaled / seconds, to - from);
        }
        finally
        {
            await simulator.DisposeAsync();
        }
    }

    private static async Task<BenchPbx> CreatePbxAsync(Uri api)
    {
        using var admin = BenchFleet.Client(api, ApiProcess.AdminKey);
        const string tenantId = "bench-bridge";
        const string pbxId = "site-00";
        (await admin.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = "Bench bridge site" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"api/admin/tenants/{tenantId}/pbxes/{pbxId}", new { name = "Site 0", kind = "p-series", timeZone = "Europe/Moscow", defaultRegion = "RU" })).EnsureSuccessStatusCode();
        using var response = await admin.PostAsJsonAsync($"api/admin/tenants/{tenantId}/keys", new { role = "bridge", name = "bench bridge", pbxId });
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        return new BenchPbx(tenantId, pbxId, key);
    }

    // Done when the journal stops growing for two seconds (the bridge's spool is empty), or at the timeout.
    private static async Task WaitForDrainAsync(NpgsqlDataSource data, BenchPbx pbx, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var previous = -1L;
        var unchanged = 0;
        while (clock.Elapsed < timeout && unchanged < 4)
        {
            await Task.Delay(500);
            await using var command = data.CreateCommand("select count(*) from pbx_event_journal where tenant_id = $1 and pbx_id = $2");
            command.Parameters.AddWithValue(pbx.TenantId);
            command.Parameters.AddWithValue(pbx.PbxId);
            var count = (long)(await command.ExecuteScalarAsync())!;
            unchanged = count == previous ? unchanged + 1 : 0;
            previous = count;
        }
    }

    // Live WebSocket frames the bridge received in the window (its receive time is journaled), and frames the API
    // journaled in the window (what it kept up with).
    private static async Task<(long Received, long Journaled)> CountFramesAsync(NpgsqlDataSource data, BenchPbx pbx, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = data.CreateCommand(
            """
            select count(*) filter (where received_at >= $3 and received_at < $4),
                   count(*) filter (where journaled_at >= $3 and journaled_at < $4)
            from pbx_event_journal
            where tenant_id = $1 and pbx_id = $2 and source = 'websocket'
            """);
        command.Parameters.AddWithValue(pbx.TenantId);
        command.Parameters.AddWithValue(pbx.PbxId);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
