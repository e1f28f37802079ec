using Microsoft.AspNetCore.Builder;
using Telephony.PbxBridge;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.Api.Tests;

/// <summary>A real bridge between an in-process simulator and the API under test, with a spool folder of its own.</summary>
public sealed class RunningBridge : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private RunningBridge(WebApplication app, string dataDir)
    {
        _app = app;
        _dataDir = dataDir;
    }

    public static async Task<RunningBridge> StartAsync(TelephonyApiFactory api, PbxSimulator.PbxSimulator pbx, TestTenant tenant, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var options = new PbxSimulatorOptions();
        // Each bridge spools to its own folder: two bridges sharing one would replay each other's frames.
        var dataDir = Path.Combine(Path.GetTempPath(), $"telephony-bridge-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?>
        {
            ["YEASTAR_HOST"] = pbx.BaseUrl.ToString().TrimEnd('/'),
            ["YEASTAR_USERNAME"] = options.ClientId,
            ["YEASTAR_PASSWORD"] = options.ClientSecret,
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "5",
            ["TELEPHONY_API_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
            ["TELEPHONY_BRIDGE_KEY"] = tenant.BridgeKey,
            ["TELEPHONY_PBX_ID"] = tenant.PbxId,
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["BRIDGE_DATA_DIR"] = dataDir,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = PbxBridgeApp.Build([], settings);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RunningBridge(app, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
