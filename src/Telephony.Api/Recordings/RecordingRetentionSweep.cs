using Microsoft.Extensions.Options;
using Telephony.Api.Hosting;
using Telephony.Core.Recordings;

namespace Telephony.Api.Recordings;

/// <summary>
/// Removes archived recordings older than their tenant's <c>recording_retention_days</c>: the blob, then the row's state,
/// with an <c>expired</c> audit row each. Of several replicas only the leader sweeps.
/// </summary>
internal sealed partial class RecordingRetentionSweep(
    RecordingRepository recordings, RecordingStore store, ReplicaLeadership leadership, IOptions<RecordingOptions> options, TimeProvider time, ILogger<RecordingRetentionSweep> logger)
    : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!leadership.IsLeader || !store.IsConfigured)
            {
                continue;
            }

            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <returns>How many recordings were removed.</returns>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        IReadOnlyList<StoredRecording> expired;
        do
        {
            expired = await recordings.ListExpiredAsync(time.GetUtcNow(), BatchSize, cancellationToken);
            foreach (var recording in expired)
            {
                if (recording.BlobName is { } blobName)
                {
                    await store.DeleteAsync(blobName, cancellationToken);
                }

                removed += await recordings.MarkDeletedAsync(recording.TenantId, recording.CallId, "expired", "retention", "past the tenant's retention period", cancellationToken) ? 1 : 0;
            }
        }
        while (expired.Count == BatchSize);

        if (removed > 0)
        {
            LogSwept(logger, removed);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} recordings past their tenant's retention period")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recording retention sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
