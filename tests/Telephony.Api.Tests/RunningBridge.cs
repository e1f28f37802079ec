using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests;

/// <summary>A real bridge between an in-process simulator and the API under test, with a spool folder of its own.</summary>
public sealed class RunningBridge : IAsyncDisposable
{
    private readonly BridgeHost _host;

    private RunningBridge(BridgeHost host) => _host = host;

    public static async Task<RunningBridge> StartAsync(TelephonyApiFactory api, PbxSimulator.PbxSimulator pbx, TestTenant tenant, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var options = new PbxSimulatorOptions();
        var settings = new Dictionary<string, string?>
        {
            ["YEASTAR_HOST"] = pbx.BaseUrl.ToString().TrimEnd('/'),
            ["YEASTAR_USERNAME"] = options.ClientId,
            ["YEASTAR_PASSWORD"] = options.ClientSecret,
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "5",
            ["TELEPHONY_API_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
            ["TELEPHONY_BRIDGE_KEY"] = tenant.BridgeKey,
            ["TELEPHONY_PBX_ID"] = tenant.PbxId,

            // Recordings are archived within seconds of their CDR rather than the default 15 s poll.
            ["BRIDGE_RECORDING_POLL_SECONDS"] = "1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new RunningBridge(await BridgeHost.StartAsync(settings, cancellationToken: TestContext.Current.CancellationToken));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
