using System.Diagnostics;
using System.Globalization;

namespace Telephony.Benchmarks;

/// <summary>The bundled PBX simulator in its own process, as <c>scripts/up</c> runs it, with background traffic.</summary>
internal sealed class PbxSimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _stopped;

    private PbxSimulatorProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <param name="callsPerMinute">Mean new calls per simulated minute (0: no traffic).</param>
    /// <param name="timeScale">Simulated seconds per real second.</param>
    /// <param name="extensions">Phones on the PBX; calls only use idle ones, so heavy traffic needs many.</param>
    public static async Task<PbxSimulatorProcess> StartAsync(string simulatorDll, double callsPerMinute, double timeScale, int extensions, int seed)
    {
        var port = ApiProcess.FreePort();
        var process = ChildProcess.Start(simulatorDll, [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--rate", callsPerMinute.ToString(CultureInfo.InvariantCulture),
            "--time-scale", timeScale.ToString(CultureInfo.InvariantCulture),
            "--extensions", extensions.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
            // The demo's queue would change the frame mix the recorded runs measured; benchmarks keep the old traffic.
            "--queue", "off"], new Dictionary<string, string>());
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            // Any HTTP answer means it listens (scripts/up waits the same way).
            await ChildProcess.WaitUntilAsync(process, baseUrl, "", _ => true, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await ChildProcess.StopAsync(process);
            throw;
        }

        return new PbxSimulatorProcess(process, baseUrl);
    }

    /// <summary>Stops it; stopping twice is fine (a scenario stops the PBX early to let the bridge drain).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await ChildProcess.StopAsync(_process);
        }
    }
}
