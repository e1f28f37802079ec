using Microsoft.AspNetCore.Builder;
using Telephony.PbxBridge.Tests.Bridge;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>The real bridge host in fleet mode (TELEPHONY_FLEET_KEY) pointed at a fake fleet API, with its logs captured.</summary>
internal sealed class FleetBridgeUnderTest : IAsyncDisposable
{
    public const string BridgeId = "fleet-bridge-under-test";

    private readonly BridgeHost _host;

    private FleetBridgeUnderTest(BridgeHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public WebApplication App => _host.App;

    public CapturingLoggerProvider Logs { get; }

    public static async Task<FleetBridgeUnderTest> StartAsync(FakeFleetApi api)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TELEPHONY_FLEET_KEY"] = FakeFleetApi.FleetKey,
            ["TELEPHONY_API_URL"] = api.BaseUrl.ToString(),
            ["BRIDGE_ID"] = BridgeId,
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "1",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        var logs = new CapturingLoggerProvider();
        return new FleetBridgeUnderTest(await BridgeHost.StartAsync(settings, logs, cancellationToken: TestContext.Current.CancellationToken), logs);
    }

    /// <summary>A graceful stop, as on SIGTERM.</summary>
    public Task StopAsync() => _host.StopAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
