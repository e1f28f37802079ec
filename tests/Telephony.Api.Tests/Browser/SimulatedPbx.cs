using Microsoft.AspNetCore.Builder;
using Telephony.PbxBridge;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// The in-process PBX simulator plus a real bridge forwarding it to the API for one tenant, as in
/// <see cref="EndToEnd.PbxToBrowserTests"/>: what a customer's site looks like to the dashboard.
/// </summary>
public sealed class SimulatedPbx : IAsyncDisposable
{
    private readonly WebApplication _bridge;

    private SimulatedPbx(PbxSimulator.PbxSimulator pbx, WebApplication bridge)
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
            var defaults = new PbxSimulatorOptions();
            var bridge = PbxBridgeApp.Build([], new Dictionary<string, string?>
            {
                ["YEASTAR_HOST"] = pbx.BaseUrl.ToString().TrimEnd('/'),
                ["YEASTAR_USERNAME"] = defaults.ClientId,
                ["YEASTAR_PASSWORD"] = defaults.ClientSecret,
                ["TELEPHONY_API_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
                ["TELEPHONY_BRIDGE_KEY"] = tenant.BridgeKey,
                ["TELEPHONY_PBX_ID"] = tenant.PbxId,
                ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            });
            await bridge.StartAsync(ct);
            return new SimulatedPbx(pbx, bridge);
        }
        catch
        {
            await pbx.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bridge.StopAsync(CancellationToken.None);
        await _bridge.DisposeAsync();
        await Pbx.DisposeAsync();
    }
}
