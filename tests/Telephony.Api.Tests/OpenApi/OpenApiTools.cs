using System.Diagnostics;

namespace Telephony.Api.Tests.OpenApi;

/// <summary>
/// The Node tools of tools/OpenApi (redocly, openapi-typescript, tsc), installed by scripts/lib/openapi-tools.sh.
/// Missing tools fail the test with the command that installs them, never skip it.
/// </summary>
internal static class OpenApiTools
{
    public static string Folder { get; } = Find();

    /// <summary>A fresh folder under tools/OpenApi/obj (ignored by git), so that TypeScript finds openapi-fetch in node_modules.</summary>
    public static DirectoryInfo CreateWorkFolder() =>
        Directory.CreateDirectory(Path.Combine(Folder, "obj", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"));

    /// <summary>Runs a tool to its end: its exit code, standard output, and both outputs together (for a failure message).</summary>
    public static async Task<(int ExitCode, string Stdout, string Output)> RunAsync(string tool, string workingDirectory, params string[] arguments)
    {
        var path = Path.Combine(Folder, "node_modules", ".bin", tool);
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: run scripts/lib/openapi-tools.sh (scripts/test runs it) to install tools/OpenApi.");
        }

        var info = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No telemetry and no update check: the checks run offline and say nothing about the machine.
        info.Environment["REDOCLY_TELEMETRY"] = "off";
        info.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        info.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, (await stdout) + (await stderr));
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.slnx")))
            {
                return Path.Combine(dir.FullName, "tools", "OpenApi");
            }
        }

        throw new DirectoryNotFoundException("Telephony.slnx was not found above the test binaries, so tools/OpenApi cannot be found.");
    }
}
