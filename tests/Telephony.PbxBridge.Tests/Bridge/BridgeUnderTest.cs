using Microsoft.AspNetCore.Builder;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>The real bridge host (<see cref="PbxBridgeApp"/>) pointed at a simulator and a fake API, with its logs captured.</summary>
internal sealed class BridgeUnderTest : IAsyncDisposable
{
    public const string ClientId = "bridge-test-client";
    public const string ClientSecret = "Sekr3t-ClientSecret-9f8e7d6c5b4a";

    private readonly BridgeHost _host;

    private BridgeUnderTest(BridgeHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
    }

    public WebApplication App => _host.App;

    public CapturingLoggerProvider Logs { get; }

    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>A folder to pass as BRIDGE_DATA_DIR to restart a bridge with the same state (left for the test to own).</summary>
    public static string NewDataDir() => BridgeHost.NewDataDir();

    public static async Task<BridgeUnderTest> StartAsync(
        Uri pbxUrl, FakeTelephonyApi api, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["YEASTAR_HOST"] = pbxUrl.GetLeftPart(UriPartial.Authority),
            ["YEASTAR_USERNAME"] = ClientId,
            ["YEASTAR_PASSWORD"] = ClientSecret,
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "1",
            ["TELEPHONY_API_URL"] = api.BaseUrl.ToString(),
            ["TELEPHONY_BRIDGE_KEY"] = FakeTelephonyApi.BridgeKey,
            ["TELEPHONY_PBX_ID"] = "main",
            ["BRIDGE_ID"] = "bridge-under-test",

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
        return new BridgeUnderTest(await BridgeHost.StartAsync(settings, logs, cancellationToken: TestContext.Current.CancellationToken), logs);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
