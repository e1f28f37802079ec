using System.Globalization;
using System.Runtime.InteropServices;

namespace Telephony.PbxSimulator;

// Runs the simulator standalone until Ctrl-C.
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var options = new PbxSimulatorOptions
        {
            Port = Setting(args, "--port", "PBX_SIM_PORT") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : 8088,
            CallsPerMinute = Setting(args, "--rate", "PBX_SIM_RATE") is { } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : 4,
            Seed = Setting(args, "--seed", "PBX_SIM_SEED") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : null,
            TimeScale = Setting(args, "--time-scale", "PBX_SIM_TIME_SCALE") is { } scale ? double.Parse(scale, CultureInfo.InvariantCulture) : 1.0,

            // Demo traffic records about a third of the answered calls, so the call log shows some with a recording.
            RecordingShare = Setting(args, "--recording-share", "PBX_SIM_RECORDING_SHARE") is { } share ? double.Parse(share, CultureInfo.InvariantCulture) : 0.3,
        };
        // Extensions 1001, 1002, … (default five): heavy traffic needs more phones, as calls only ever use idle ones.
        // At most 4999, so the numbers stay four digits and below the ring group 6300 and the queue 6400.
        if (Setting(args, "--extensions", "PBX_SIM_EXTENSIONS") is { } extensions)
        {
            var count = int.Parse(extensions, CultureInfo.InvariantCulture);
            if (count is < 1 or > 4999)
            {
                throw new ArgumentOutOfRangeException(nameof(args), count, "--extensions must be between 1 and 4999.");
            }

            options.Extensions = [.. Enumerable.Range(1001, count).Select(n => n.ToString(CultureInfo.InvariantCulture))];
        }

        // Queue 6400 (--queue, "off" for none) with the last three extensions as agents, ringing each for 20 s and
        // auto-pausing an agent after 2 ringing timeouts in a row: a fifth of the demo's inbound calls go through it.
        var queueNumber = Setting(args, "--queue", "PBX_SIM_QUEUE") ?? "6400";
        if (!string.Equals(queueNumber, "off", StringComparison.OrdinalIgnoreCase))
        {
            options.Queues =
            [
                new PbxQueueOptions
                {
                    Number = queueNumber,
                    Agents = [.. options.Extensions.Skip(Math.Max(0, options.Extensions.Count - 3))],
                    AgentRingTimeout = TimeSpan.FromSeconds(20),
                    RingTimeoutsBeforeAutoPause = 2,
                },
            ];
        }

        if (Setting(args, "--client-id", "PBX_SIM_CLIENT_ID") is { } clientId)
        {
            options.ClientId = clientId;
        }

        if (Setting(args, "--client-secret", "PBX_SIM_CLIENT_SECRET") is { } clientSecret)
        {
            options.ClientSecret = clientSecret;
        }

        // "s-series" serves API v2.0.0 under /api/v2.0.0/ and pushes events to the URL given at login.
        if (Setting(args, "--kind", "PBX_SIM_KIND") is { } kind)
        {
            options.Kind = kind;
        }

        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var simulator = await PbxSimulator.StartAsync(options, shutdown.Token);
        Console.WriteLine($"PBX simulator listening on {simulator.BaseUrl}");
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: fall through to dispose.
        }
    }

    // Command-line value (--name value) first, then the environment variable.
    private static string? Setting(string[] args, string name, string environmentVariable)
    {
        var index = Array.IndexOf(args, name);
        if (index >= 0 && index + 1 < args.Length)
        {
            return args[index + 1];
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }
}
