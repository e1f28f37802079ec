using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Api.Calls;

/// <summary>
/// Coalesces the call grains of this silo into few call-log writes: a grain hands over its call and waits; whatever
/// queued while the previous write ran goes out in one batch. No timer delays a write — under load the batches grow
/// by themselves, idle a call is written at once. A grain has one write in flight at a time (it awaits it), so two
/// writers never hold the same call and its rows are written in the order the grain changed it. Each writer has its own
/// share of the tenants: a write holds its tenants' history locks to commit (migration 0010), so writers that shared a
/// tenant would queue behind each other instead of writing side by side.
/// </summary>
internal sealed class CallLogWriteBehind(CallLogBatchWriter writer, IMeterFactory meters, ILogger<CallLogWriteBehind> logger) : BackgroundService
{
    private const int MaxCallsPerWrite = 500;
    private const int Writers = 2;

    private readonly Histogram<int> _callsPerWrite = meters.Create("Telephony.Api").CreateHistogram<int>("telephony.call_log.calls_per_write");
    private readonly Histogram<double> _writeSeconds = meters.Create("Telephony.Api").CreateHistogram<double>("telephony.call_log.write_duration", "s");

    private readonly Channel<PendingWrite>[] _queues = [.. Enumerable.Range(0, Writers).Select(_ => Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = true }))];

    /// <summary>Completes when the call's row and legs are in PostgreSQL; throws if that write failed.</summary>
    public Task SaveAsync(CallRecord call)
    {
        var pending = new PendingWrite(call, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!QueueOf(call.TenantId).Writer.TryWrite(pending))
        {
            pending.Done.SetException(new InvalidOperationException("The call-log writer has stopped."));
        }

        return pending.Done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(queue => WriteLoopAsync(queue.Reader)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Writes already handed over still go out on a graceful stop; grains await them.
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        await base.StopAsync(cancellationToken);
    }

    private Channel<PendingWrite> QueueOf(string tenantId) => _queues[(StringComparer.Ordinal.GetHashCode(tenantId) & int.MaxValue) % Writers];

    private async Task WriteLoopAsync(ChannelReader<PendingWrite> queue)
    {
        var batch = new List<PendingWrite>(MaxCallsPerWrite);
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxCallsPerWrite && queue.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await writer.SaveAsync([.. batch.Select(p => p.Call)], CancellationToken.None);
            _callsPerWrite.Record(batch.Count);
            _writeSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            foreach (var pending in batch)
            {
                pending.Done.SetResult();
            }
        }
        catch (Exception ex)
        {
            // Each grain keeps its call unsaved and retries; the journal keeps the frames unapplied until then.
            Log.CallLogWriteFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.SetException(ex);
            }
        }
    }

    private sealed record PendingWrite(CallRecord Call, TaskCompletionSource Done);
}
