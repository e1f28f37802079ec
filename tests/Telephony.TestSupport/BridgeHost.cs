using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Telephony.PbxBridge;

namespace Telephony.TestSupport;

/// <summary>
/// The real bridge host (<see cref="PbxBridgeApp"/>) in this process, configured by the bridge's own setting names: the
/// one bridge host of the test projects. Every bridge spools to a fresh folder of its own (deleted when it stops) unless
/// the test names one to restart with the same state, so one test's unacknowledged frames never replay into another.
/// </summary>
public sealed class BridgeHost : IAsyncDisposable
{
    private readonly string? _ownedDataDir;
    private bool _stopped;

    private BridgeHost(WebApplication app, string dataDir, bool ownsDataDir)
    {
        App = app;
        DataDir = dataDir;
        _ownedDataDir = ownsDataDir ? dataDir : null;
    }

    public WebApplication App { get; }

    /// <summary>BRIDGE_DATA_DIR: where its spool, CDR mark and tokens live.</summary>
    public string DataDir { get; }

    /// <summary>Where it listens (health endpoints, S-Series pushes).</summary>
    public Uri BaseUrl => new(App.Urls.First());

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "telephony-test-bridges", Guid.NewGuid().ToString("N"));

    /// <param name="logs">When given, the only log provider (a capture the test reads).</param>
    /// <param name="configure">Runs last on the bridge's builder (e.g. a telemetry exporter the test reads).</param>
    public static async Task<BridgeHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, ILoggerProvider? logs = null, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string?>(settings);
        all.TryAdd("BRIDGE_URLS", "http://127.0.0.1:0");
        var owns = !all.TryGetValue("BRIDGE_DATA_DIR", out var named) || named is null;
        var dataDir = owns ? NewDataDir() : named!;
        all["BRIDGE_DATA_DIR"] = dataDir;

        var app = PbxBridgeApp.Build([], all, builder =>
        {
            if (logs is not null)
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync(cancellationToken);
        return new BridgeHost(app, dataDir, owns);
    }

    /// <summary>A graceful stop, as on SIGTERM; disposing stops it too.</summary>
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
        if (_ownedDataDir is not null && Directory.Exists(_ownedDataDir))
        {
            Directory.Delete(_ownedDataDir, recursive: true);
        }
    }
}
