using System.Diagnostics;
using System.Net;

namespace Telephony.Benchmarks;

/// <summary>Starting, waiting for and stopping the service's other processes (simulator, bridge).</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/>: a <c>.dll</c> through <c>dotnet</c>, anything else (a native build) directly.</summary>
    public static Process Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var managed = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(managed ? "dotnet" : program, managed ? [program, .. arguments] : arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls <paramref name="path"/> under <paramref name="baseUrl"/> until <paramref name="done"/> accepts the status.</summary>
    public static async Task WaitUntilAsync(Process process, Uri baseUrl, string path, Func<HttpStatusCode, bool> done, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList.Take(1))} exited with {process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (done(response.StatusCode))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{baseUrl}{path} was not ready within {timeout.TotalSeconds:F0} s");
    }

    public static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
        }
    }
}
