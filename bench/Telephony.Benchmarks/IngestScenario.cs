using System.Diagnostics;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>
/// PBXs posting ordered batches, each PBX one batch at a time as the bridge does; then every call checked in the log.
/// Flat out (<c>offered</c> null): each PBX posts its next batch as soon as the last was accepted, which measures the
/// most the service takes. Paced: together the PBXs offer <c>offered</c> frames a second on a fixed schedule, and a
/// batch's latency runs from when it was due, so a service that falls behind shows it (no coordinated omission).
/// </summary>
internal static class IngestScenario
{
    public const int BatchSize = 200;

    /// <param name="AppliedAfter">From the last timed batch's answer until every call was in the log, ended.</param>
    public sealed record Result(int Pbxes, double? Offered, long Frames, TimeSpan Elapsed, Percentiles BatchLatency, TimeSpan AppliedAfter, int Calls, int LoggedRight, string? FirstProblem)
    {
        public double FramesPerSecond => Frames / Elapsed.TotalSeconds;

        public bool ExactlyOnce => LoggedRight == Calls && FirstProblem is null;
    }

    public static async Task<Result> RunAsync(Uri api, IReadOnlyList<BenchPbx> pbxes, TimeSpan duration, NpgsqlDataSource database, int seed, double? offered = null, string? tag = null)
    {
        tag ??= offered is null ? $"i{pbxes.Count}-" : $"p{pbxes.Count}-";
        var traffic = pbxes.Select((p, i) => new PbxTraffic(p, seed + i, tag)).ToList();
        var interval = offered is { } rate ? TimeSpan.FromSeconds(BatchSize * pbxes.Count / rate) : TimeSpan.Zero;
        var latencies = new List<TimeSpan>();
        long frames = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(traffic.Select(async (stream, index) =>
        {
            using var poster = new BatchPoster(BenchFleet.Client(api, stream.Pbx.BridgeKey), stream.Pbx);
            var mine = new List<TimeSpan>();

            // Paced PBXs start spread over one interval, so their batches do not all fall due together.
            var due = interval * index / pbxes.Count;
            while (clock.Elapsed < duration)
            {
                var batch = stream.Next(BatchSize, startNewCalls: true);
                if (offered is null)
                {
                    mine.Add(await poster.PostAsync(batch));
                }
                else
                {
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    await poster.PostAsync(batch);
                    mine.Add(clock.Elapsed - due);
                    due += interval;
                }

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
        return new Result(pbxes.Count, offered, frames, elapsed, Percentiles.Of(latencies), clock.Elapsed - elapsed, calls, right, problem);
    }
}
