using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// The in-process PBX simulator plus a real bridge forwarding it to the API for one tenant, as in
/// <see cref="EndToEnd.PbxToBrowserTests"/>: what a customer's site looks like to the dashboard. The bridge is a
/// <see cref="RunningBridge"/>, so it spools to a folder of its own: one test's unacknowledged frames never replay
/// into the next test's tenant.
/// </summary>
public sealed class SimulatedPbx : IAsyncDisposable
{
    private readonly RunningBridge _bridge;

    private SimulatedPbx(PbxSimulator.PbxSimulator pbx, RunningBridge bridge)
    {
        Pbx = pbx;
        _bridge = bridge;
    }

    public PbxSimulator.PbxSimulator Pbx { get; }

    public static async Task<SimulatedPbx> StartAsync(TelephonyApiFactory api, TestTenant tenant, double timeScale = 5)
    {
        var ct = TestContext.Current.CancellationToken;
        var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = timeScale, IdleTimeout = TimeSpan.FromMinutes(10) }, ct);
        try
        {
            return new SimulatedPbx(pbx, await RunningBridge.StartAsync(api, pbx, tenant));
        }
        catch
        {
            await pbx.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await Pbx.DisposeAsync();
    }
}
