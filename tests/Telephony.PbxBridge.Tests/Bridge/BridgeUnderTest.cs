using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>The real bridge host (<see cref="PbxBridgeApp"/>) pointed at a simulator and a fake API, with its logs captured.</summary>
internal sealed class BridgeUnderTest : IAsyncDisposable
{
    public const string ClientId = "bridge-test-client";
    public const string ClientSecret = "Sekr3t-ClientSecret-9f8e7d6c5b4a";

    private BridgeUnderTest(WebApplication app, CapturingLoggerProvider logs, string dataDir)
    {
        App = app;
        Logs = logs;
        DataDir = dataDir;
    }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>BRIDGE_DATA_DIR: a fresh folder per bridge unless the test passes its own (to restart with the same state).</summary>
    public string DataDir { get; }

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "telephony-bridge-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseUrl => new(App.Urls.First());

    public static async Task<BridgeUnderTest> StartAsync(
        Uri pbxUrl, FakeTelephonyApi api, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["YEASTAR_HOST"] = pbxUrl.GetLeftPart(UriPartial.Authority),
            ["YEASTAR_USERNAME"] = ClientId,
            ["YEASTAR_PASSWORD"] = ClientSecret,
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "1",
            ["TELEPHONY_API_URL"] = api.BaseUrl.ToString(),
            ["TELEPHONY_BRIDGE_KEY"] = FakeTelephonyApi.BridgeKey,
            ["TELEPHONY_PBX_ID"] = "main",
            ["BRIDGE_ID"] = "bridge-under-test",
            ["BRIDGE_DATA_DIR"] = NewDataDir(),

            // Everything, including HttpClient request/header traces, so the secret checks see what an operator could enable.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Polly"] = "Trace",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var app = PbxBridgeApp.Build([], settings, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new BridgeUnderTest(app, logs, settings["BRIDGE_DATA_DIR"]!);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
