using System.Globalization;

namespace Telephony.Benchmarks;

/// <summary>What <c>bench/run</c> passes: where PostgreSQL and the built API are, and how big a run to make.</summary>
internal sealed record BenchOptions(string PostgresServer, string PgBench, string ApiDll, string ApiContentRoot, string ResultsFolder, bool Quick, string? Only)
{
    /// <summary>The built bridge (<c>Telephony.PbxBridge.dll</c>, or a native executable) for the bridge memory scenario.</summary>
    public string BridgeProgram { get; init; } = "";

    /// <summary>The built PBX simulator (<c>Telephony.PbxSimulator.dll</c>) that feeds that bridge.</summary>
    public string SimulatorDll { get; init; } = "";

    /// <summary>Samples per history query (<c>--history-samples</c>); p95 is taken over them.</summary>
    public int HistorySamples { get; init; } = Quick ? 3 : 40;

    /// <summary>How long each throughput scenario pushes frames.</summary>
    public TimeSpan IngestDuration => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(60);

    /// <summary>Untimed ingest before the timed runs, so they measure a warm server.</summary>
    public TimeSpan WarmUpDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20);

    /// <summary>How long PostgreSQL's own baseline runs.</summary>
    public int BaselineSeconds => Quick ? 3 : 15;

    /// <summary>Screen pops measured per condition (idle, under load).</summary>
    // A p99 over 200 samples is the second-worst of them: one scheduler hiccup on a shared 2-core machine moved it by
    // tens of milliseconds between identical runs. Over 1,000 it is the tenth-worst (25 s of pops per condition).
    public int PopSamples => Quick ? 20 : 1000;

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var options = new BenchOptions(
            Value("--pg") ?? throw new ArgumentException("--pg <Npgsql connection string of the server> is required"),
            Value("--pgbench") ?? "pgbench",
            Value("--api") ?? throw new ArgumentException("--api <path of Telephony.Api.dll> is required"),
            Value("--content-root") ?? throw new ArgumentException("--content-root <src/Telephony.Api> is required"),
            Value("--results") ?? "bench/results",
            args.Contains("--quick"),

            // --history-only is --only history: the history data sets and queries, without the ingest fleet.
            args.Contains("--history-only") ? "history" : Value("--only"))
        {
            BridgeProgram = Value("--bridge") ?? throw new ArgumentException("--bridge <path of Telephony.PbxBridge.dll or its native build> is required"),
            SimulatorDll = Value("--simulator") ?? throw new ArgumentException("--simulator <path of Telephony.PbxSimulator.dll> is required"),
        };
        return int.TryParse(Value("--history-samples"), CultureInfo.InvariantCulture, out var samples) ? options with { HistorySamples = samples } : options;
    }

    /// <summary>Whether a scenario runs: all of them unless <c>--only pop|ingest|…</c> picks one (for profiling one at a time).</summary>
    public bool Runs(string scenario) => Only is null || string.Equals(Only, scenario, StringComparison.OrdinalIgnoreCase);

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{(Quick ? "quick" : "full")} run, ingest {IngestDuration.TotalSeconds:F0} s, {PopSamples} pops");
}
