using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Telephony.PbxBridge.Tests.Bridge;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>The real bridge host in fleet mode (TELEPHONY_FLEET_KEY) pointed at a fake fleet API, with its logs captured.</summary>
internal sealed class FleetBridgeUnderTest : IAsyncDisposable
{
    public const string BridgeId = "fleet-bridge-under-test";

    private bool _stopped;

    private FleetBridgeUnderTest(WebApplication app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
    }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<FleetBridgeUnderTest> StartAsync(FakeFleetApi api)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["TELEPHONY_FLEET_KEY"] = FakeFleetApi.FleetKey,
            ["TELEPHONY_API_URL"] = api.BaseUrl.ToString(),
            ["BRIDGE_ID"] = BridgeId,
            ["BRIDGE_DATA_DIR"] = BridgeUnderTest.NewDataDir(),
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "1",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        var logs = new CapturingLoggerProvider();
        var app = PbxBridgeApp.Build([], settings, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new FleetBridgeUnderTest(app, logs);
    }

    /// <summary>A graceful stop, as on SIGTERM.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
    }
}
