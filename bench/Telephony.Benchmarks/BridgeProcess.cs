using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Telephony.Benchmarks;

/// <summary>
/// One PBX bridge in its own process, as a site runs it: connected to a PBX (the simulator) and posting to the API,
/// with its resident memory read from <c>/proc</c>.
/// </summary>
internal sealed class BridgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private BridgeProcess(Process process, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
    }

    public static Task<BridgeProcess> StartAsync(string bridge, Uri pbx, Uri api, BenchPbx target) => StartAsync(bridge, api, "bench-bridge", new()
    {
        ["YEASTAR_HOST"] = pbx.ToString().TrimEnd('/'),
        ["YEASTAR_USERNAME"] = "simulator",
        ["YEASTAR_PASSWORD"] = "simulator-secret",
        ["YEASTAR_TIMEZONE"] = "Europe/Moscow",

        // The simulator's 60 s idle drop runs on its sped-up clock (6 s real at time scale 10): heartbeat every second.
        ["YEASTAR_HEARTBEAT_INTERVAL"] = "1",
        ["TELEPHONY_BRIDGE_KEY"] = target.BridgeKey,
        ["TELEPHONY_PBX_ID"] = target.PbxId,
    });

    /// <summary>A fleet bridge (TELEPHONY_FLEET_KEY instead of one PBX's settings), ready once it has read the fleet listing.</summary>
    public static Task<BridgeProcess> StartFleetAsync(string bridge, Uri api, string fleetKey, string bridgeId) =>
        StartAsync(bridge, api, bridgeId, new() { ["TELEPHONY_FLEET_KEY"] = fleetKey });

    // Either mode: its own port and data folder, then ready (one PBX: subscribed to its events; fleet: listing read).
    private static async Task<BridgeProcess> StartAsync(string bridge, Uri api, string bridgeId, Dictionary<string, string> settings)
    {
        var port = ApiProcess.FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"telephony-bench-bridge-{Guid.NewGuid():N}");
        settings["TELEPHONY_API_URL"] = api.ToString().TrimEnd('/');
        settings["BRIDGE_ID"] = bridgeId;
        settings["BRIDGE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        settings["BRIDGE_DATA_DIR"] = dataDirectory;
        settings["DOTNET_ENVIRONMENT"] = "Production";
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = ChildProcess.Start(bridge, [], settings);
        try
        {
            await ChildProcess.WaitUntilAsync(process, new Uri($"http://127.0.0.1:{port}/"), "health/ready", status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await ChildProcess.StopAsync(process);
            throw;
        }

        return new BridgeProcess(process, dataDirectory);
    }

    /// <summary>Samples resident memory every <paramref name="interval"/> for <paramref name="duration"/>.</summary>
    public async Task<IReadOnlyList<ProcessMemory>> SampleMemoryAsync(TimeSpan duration, TimeSpan interval)
    {
        var samples = new List<ProcessMemory>();
        var clock = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(interval);
        do
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the bridge exited with {_process.ExitCode} while it was measured");
            }

            if (ProcessMemory.Read(_process.Id) is { } sample)
            {
                samples.Add(sample);
            }
        }
        while (clock.Elapsed < duration && await tick.WaitForNextTickAsync());

        return samples;
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcess.StopAsync(_process);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
