using System.Diagnostics;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>Throughput: PBXs posting ordered batches as fast as the API accepts them; then every call checked in the log.</summary>
internal static class IngestScenario
{
    public const int BatchSize = 200;

    public sealed record Result(int Pbxes, long Frames, TimeSpan Elapsed, Percentiles BatchLatency, int Calls, int LoggedRight, string? FirstProblem)
    {
        public double FramesPerSecond => Frames / Elapsed.TotalSeconds;

        public bool ExactlyOnce => LoggedRight == Calls && FirstProblem is null;
    }

    public static async Task<Result> RunAsync(Uri api, IReadOnlyList<BenchPbx> pbxes, TimeSpan duration, NpgsqlDataSource database, int seed)
    {
        var traffic = pbxes.Select((p, i) => new PbxTraffic(p, seed + i, $"i{pbxes.Count}-")).ToList();
        var latencies = new List<TimeSpan>();
        long frames = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(traffic.Select(async stream =>
        {
            using var poster = new BatchPoster(BenchFleet.Client(api, stream.Pbx.BridgeKey), stream.Pbx);
            var mine = new List<TimeSpan>();
            while (clock.Elapsed < duration)
            {
                var batch = stream.Next(BatchSize, startNewCalls: true);
                mine.Add(await poster.PostAsync(batch));
                Interlocked.Add(ref frames, batch.Count);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        var elapsed = clock.Elapsed;

        // Finish the calls still in the air (not timed), so every call started has all its frames.
        await Task.WhenAll(traffic.Select(async stream =>
        {
            using var poster = new BatchPoster(BenchFleet.Client(api, stream.Pbx.BridgeKey), stream.Pbx);
            while (stream.OpenCalls > 0)
            {
                await poster.PostAsync(stream.Next(BatchSize, startNewCalls: false));
            }
        }));

        var (calls, right, problem) = await CallLogCheck.WaitForAsync(database, traffic, TimeSpan.FromSeconds(120));
        return new Result(pbxes.Count, frames, elapsed, Percentiles.Of(latencies), calls, right, problem);
    }
}
