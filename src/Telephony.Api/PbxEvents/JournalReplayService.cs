using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Applies journaled frames that never reached their grain (process crash, database blip mid-batch),
/// so that a frame the bridge was told is accepted always ends up in the call log. Of several replicas only the leader
/// (<see cref="Hosting.ReplicaLeadership"/>) replays, so a batch is not offered to its grain by each of them at once.
/// </summary>
internal sealed class JournalReplayService(
    EventJournal journal, IGrainFactory grains, PbxSettingsLookup pbxSettings, Hosting.ReplicaLeadership leadership, ILogger<JournalReplayService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    // Batches hold at most a thousand frames each (PbxEventsApi.MaxBatchSize); a pass pages through up to 2,000 of them,
    // so a batch that keeps failing never holds up the ones after it.
    private const int MaxBatches = 20;
    private const int MaxPages = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                if (leadership.IsLeader)
                {
                    await ReplayOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.ReplayFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ReplayOnceAsync(CancellationToken cancellationToken, TimeSpan? settledFor = null)
    {
        var count = 0;
        long after = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var (batchIds, frames) = await journal.LoadUnappliedAsync(MaxBatches, settledFor ?? TimeSpan.FromSeconds(30), cancellationToken, after);
            count += await ReplayAsync(batchIds, frames, cancellationToken);
            if (batchIds.Count < MaxBatches)
            {
                break;
            }

            after = batchIds[^1];
        }

        if (count > 0)
        {
            Log.Replayed(logger, count);
        }

        return count;
    }

    private async Task<int> ReplayAsync(IReadOnlyList<long> batchIds, IReadOnlyList<UnappliedFrame> frames, CancellationToken cancellationToken)
    {
        var count = 0;
        var parsedBatches = new HashSet<long>();
        foreach (var group in frames.GroupBy(f => (f.TenantId, f.PbxId)))
        {
            var dateFormat = await pbxSettings.FindDateFormatAsync(group.Key.TenantId, group.Key.PbxId, cancellationToken);
            var parsed = group
                .Select(f => (Frame: f, Result: PbxFrameParser.Parse(f.Frame, f.Source, dateFormat)))
                .Where(x => x.Result.Event is not null)
                .Select(x => new ParsedFrame(x.Frame.DedupeKey, x.Result.Event!, x.Result.EventType, new DateTimeOffset(DateTime.SpecifyKind(x.Frame.ReceivedAt, DateTimeKind.Utc))) { Replayed = true, BatchId = x.Frame.BatchId })
                .ToList();

            // Through the PBX's ingest grain, so replayed frames keep their order with the ones arriving now; it marks
            // each batch applied once all of it was.
            parsedBatches.UnionWith(parsed.Select(p => p.BatchId));
            count += await grains.GetGrain<IPbxIngestGrain>(PbxIngestGrainKey.For(group.Key.TenantId, group.Key.PbxId)).ReplayAsync(parsed);
        }

        // A batch with nothing left to apply (its frames no longer read as events) is done, or it would be offered forever.
        await journal.MarkAppliedAsync([.. batchIds.Where(id => !parsedBatches.Contains(id))], cancellationToken);
        return count;
    }
}
