using System.Diagnostics;

namespace Telephony.FaultTests;

/// <summary>A running bridge, in-process or as a child process.</summary>
public interface IBridge : IAsyncDisposable
{
}

/// <summary>The bridge in this process (the shared <see cref="BridgeHost"/>), stopped gracefully on dispose.</summary>
public sealed class InProcessBridge : IBridge
{
    private readonly BridgeHost _host;

    private InProcessBridge(BridgeHost host) => _host = host;

    /// <summary>Where the bridge listens (its health endpoints, and S-Series pushes).</summary>
    public Uri BaseUrl => _host.BaseUrl;

    public static async Task<InProcessBridge> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken) =>
        new(await BridgeHost.StartAsync(settings, cancellationToken: cancellationToken));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>
/// The bridge as its own process (<c>dotnet Telephony.PbxBridge.dll</c> from this test's output folder), configured
/// by environment variables, so that it can be killed like a crashed process.
/// </summary>
public sealed class ChildProcessBridge : IBridge
{
    private readonly Process _process;
    private readonly RecentLines _log;
    private readonly string _workDir;

    private ChildProcessBridge(Process process, string workDir, string name)
    {
        _process = process;
        _workDir = workDir;
        _log = new RecentLines(fullLogName: name);
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public string RecentLog => _log.Text;

    public static ChildProcessBridge Start(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Telephony.PbxBridge.dll");
        foreach (var required in new[] { dll, Path.ChangeExtension(dll, ".runtimeconfig.json"), Path.ChangeExtension(dll, ".deps.json") })
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"The bridge build output is incomplete: {required} is missing.", required);
            }
        }

        // A folder of its own as content root: the test output holds the API's appsettings.json.
        var workDir = Path.Combine(Path.GetTempPath(), $"telephony-bridge-cwd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workDir);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["Logging__LogLevel__Default"] = RecentLines.KeepsFullLogs ? "Information" : "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = info };
        var bridge = new ChildProcessBridge(process, workDir, "bridge-" + (settings.GetValueOrDefault("BRIDGE_ID") ?? "single"));
        process.OutputDataReceived += (_, e) => bridge._log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => bridge._log.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bridge;
    }

    /// <summary>Kills the process tree now (SIGKILL): no graceful shutdown, no spool flush.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
            _log.Dispose();
            try
            {
                Directory.Delete(_workDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
