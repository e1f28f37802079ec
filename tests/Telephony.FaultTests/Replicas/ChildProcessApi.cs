using System.Diagnostics;
using System.Globalization;

namespace Telephony.FaultTests.Replicas;

/// <summary>
/// An API replica as its own process (<c>dotnet Telephony.Api.dll</c> from this test's output folder), so that it can be
/// killed like a crashed container and started again on the same ports (from <see cref="RestartablePort"/>).
/// </summary>
public sealed class ChildProcessApi : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly RecentLines _log;
    private Process? _process;

    public ChildProcessApi(string name, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        _log = new RecentLines(fullLogName: "api-" + name);
        Port = RestartablePort.Next();
        var all = new Dictionary<string, string?>(settings)
        {
            ["PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["ORLEANS_SILO_PORT"] = RestartablePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ORLEANS_GATEWAY_PORT"] = RestartablePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ORLEANS_SILO_NAME"] = name,
        };
        _settings = all;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string RecentLog => _log.Text;

    /// <summary>Starts the process and waits until it answers <c>/health/ready</c>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Telephony.Api.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in _settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Orleans"] = "Error";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"API replica {Name} exited with {process.ExitCode}:\n{RecentLog}");
                }

                try
                {
                    using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative), cancellationToken);
                    return ready.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            $"API replica {Name} to be ready",
            () => RecentLog);
    }

    /// <summary>SIGKILL: no graceful shutdown, the silo just vanishes from the cluster.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _log.Dispose();
    }
}
