using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Telephony.Benchmarks;

/// <summary>The API as production runs it: its own process on its own database, timed from start to ready.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";

    private readonly Process _process;

    private ApiProcess(Process process, Uri baseUrl, TimeSpan readyAfter)
    {
        _process = process;
        BaseUrl = baseUrl;
        ReadyAfter = readyAfter;
    }

    public Uri BaseUrl { get; }

    /// <summary>From process start to the first 200 from <c>/health/ready</c>.</summary>
    public TimeSpan ReadyAfter { get; }

    public static async Task<ApiProcess> StartAsync(
        BenchOptions options, string databaseUrl, TimeSpan? readyWithin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [options.ApiDll, "--contentRoot", options.ApiContentRoot])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DATABASE_URL"] = databaseUrl;
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["TELEPHONY_ADMIN_KEY"] = AdminKey;

        // A key of this run's own, so the fleet scenario can store its PBXs' client secrets (never a committed one).
        start.Environment["TELEPHONY_SECRETS_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["ORLEANS_SILO_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["ORLEANS_GATEWAY_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // What the API says (warnings and errors at its production log levels) goes to a file, so a refused batch can
        // be explained after the run; the bench prints where.
        var logPath = Path.Combine(Path.GetTempPath(), $"telephony-bench-api-{port}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        process.EnableRaisingEvents = true;
        Console.WriteLine($"  API log: {logPath}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var timeout = readyWithin ?? TimeSpan.FromSeconds(60);
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the API exited with {process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return new ApiProcess(process, baseUrl, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"the API was not ready within {timeout.TotalSeconds:F0} s");
    }

    public static string DatabaseUrl(Npgsql.NpgsqlConnectionStringBuilder database) =>
        $"postgresql://{database.Username}@{database.Host}:{database.Port}/{database.Database}";

    /// <summary>Resident memory of the API process now, in MB (from /proc).</summary>
    public double ResidentMegabytes()
    {
        _process.Refresh();
        return _process.WorkingSet64 / (1024.0 * 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
