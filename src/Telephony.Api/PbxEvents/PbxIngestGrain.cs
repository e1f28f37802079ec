using Orleans.Concurrency;
using Telephony.Core.Storage;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Applies a PBX's journaled frames in journal order, off the request: whatever queued while one dispatch ran goes out
/// as the next, so under load the dispatches (and the call-log writes behind them) grow instead of queueing up.
/// Reentrant: a request only queues and waits; the drain loop is the one place frames are applied.
/// </summary>
[Reentrant]
internal sealed class PbxIngestGrain(PbxEventDispatcher dispatcher, EventJournal journal, ILogger<PbxIngestGrain> logger) : Grain, IPbxIngestGrain
{
    // Beyond this many frames ahead a request waits for its own frames: the bridge slows to what the PBX's calls absorb.
    private const int MaxFramesAhead = 2000;

    private readonly Queue<QueuedFrames> _queue = new();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private Task? _drain;
    private string _tenantId = "";
    private string _pbxId = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _pbxId) = PbxIngestGrainKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<bool> EnqueueAsync(IReadOnlyList<ParsedFrame> frames, TimeSpan wait)
    {
        var ahead = _pending.Count;
        var queued = Enqueue(frames);
        if (ahead > MaxFramesAhead)
        {
            await queued;
            return true;
        }

        if (ahead > 0 || wait <= TimeSpan.Zero)
        {
            return false;
        }

        return await Task.WhenAny(queued, Task.Delay(wait)) == queued;
    }

    public Task<int> ReplayAsync(IReadOnlyList<ParsedFrame> frames) => Enqueue(frames);

    private Task<int> Enqueue(IReadOnlyList<ParsedFrame> frames)
    {
        // A frame already waiting here (a replay racing its own request) is applied once.
        var fresh = frames.Where(f => _pending.Add(f.DedupeKey)).ToList();
        var queued = new QueuedFrames(fresh, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(queued);
        _drain ??= DrainAsync();
        return queued.Applied.Task;
    }

    private async Task DrainAsync()
    {
        while (_queue.Count > 0)
        {
            var taken = _queue.ToList();
            _queue.Clear();
            var frames = taken.SelectMany(q => q.Frames).ToList();
            var applied = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                applied.UnionWith(await dispatcher.DispatchAsync(_tenantId, _pbxId, frames));
                await journal.MarkAppliedAsync(_tenantId, _pbxId, applied, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The frames stay journaled and unapplied; the replay service queues them here again.
                Log.DrainFailed(logger, ex, frames.Count, _tenantId, _pbxId);
                applied.Clear();
            }

            foreach (var frame in frames)
            {
                _pending.Remove(frame.DedupeKey);
            }

            foreach (var queued in taken)
            {
                queued.Applied.SetResult(queued.Frames.Count(f => applied.Contains(f.DedupeKey)));
            }
        }

        _drain = null;
    }

    private sealed record QueuedFrames(List<ParsedFrame> Frames, TaskCompletionSource<int> Applied);
}
