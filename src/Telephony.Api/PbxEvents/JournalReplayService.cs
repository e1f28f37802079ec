using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Applies journaled frames that never reached their grain (process crash, database blip mid-batch),
/// so that a frame the bridge was told is accepted always ends up in the call log.
/// </summary>
internal sealed class JournalReplayService(EventJournal journal, IGrainFactory grains, PbxSettingsLookup pbxSettings, ILogger<JournalReplayService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await ReplayOnceAsync(stoppingToken);
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
        var frames = await journal.LoadUnappliedAsync(5000, settledFor ?? TimeSpan.FromSeconds(30), cancellationToken);
        var count = 0;
        foreach (var group in frames.GroupBy(f => (f.TenantId, f.PbxId)))
        {
            var dateFormat = await pbxSettings.FindDateFormatAsync(group.Key.TenantId, group.Key.PbxId, cancellationToken);
            var parsed = group
                .Select(f => (Frame: f, Result: PbxFrameParser.Parse(f.Frame, f.Source, dateFormat)))
                .Where(x => x.Result.Event is not null)
                .Select(x => new ParsedFrame(x.Frame.DedupeKey, x.Result.Event!, x.Result.EventType, new DateTimeOffset(DateTime.SpecifyKind(x.Frame.ReceivedAt, DateTimeKind.Utc))) { Replayed = true })
                .ToList();
            // Through the PBX's ingest grain, so replayed frames keep their order with the ones arriving now.
            count += await grains.GetGrain<IPbxIngestGrain>(PbxIngestGrainKey.For(group.Key.TenantId, group.Key.PbxId)).ReplayAsync(parsed);
        }

        if (count > 0)
        {
            Log.Replayed(logger, count);
        }

        return count;
    }
}
