using System.Diagnostics;
using Orleans.Concurrency;
using Telephony.Api.Telemetry;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Applies a PBX's journaled frames, each call's in journal order, off the request. Every call (and the PBX's
/// extension frames) has its own line: while a call's grain is busy its next frames wait and then go together, while
/// other calls go on, so one slow call never holds up the rest. "Applied" marks and switchboard updates are coalesced
/// the same way. Reentrant: requests only queue and wait; the lines are the one place frames are applied.
/// </summary>
[Reentrant]
internal sealed class PbxIngestGrain : Grain, IPbxIngestGrain
{
    // Beyond this many frames ahead a request waits for its own frames: the bridge slows to what the PBX's calls absorb.
    private const int MaxFramesAhead = 2000;

    // A live PBX sends a few dozen frames a second, a few at a time; a bridge emptying its spool after a gap sends
    // thousands, in full batches. Then it streams: each batch is answered once journaled, so the next one is journaled
    // while this one is applied. Telling by batch size too matters on a loaded machine: waiting for the apply would keep
    // such a bridge under the rate that says "streaming", and so slow it further.
    private const int StreamingFramesPerSecond = 1000;
    private const int StreamingBatchFrames = 100;

    private readonly PbxEventDispatcher _dispatcher;
    private readonly PbxIngestMetrics _metrics;
    private readonly ILogger<PbxIngestGrain> _logger;
    private readonly Dictionary<string, OwnerLine> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Arrival> _pending = new(StringComparer.Ordinal);
    private readonly RecentCallIds _recentCalls = new();
    private readonly CoalescedFlush<long> _marks;
    private readonly CoalescedFlush<CallRecord> _changedCalls;
    private readonly string _tenantId;
    private readonly string _pbxId;
    private long _windowStart;
    private int _framesThisWindow;
    private int _framesLastWindow;

    public PbxIngestGrain(PbxEventDispatcher dispatcher, EventJournal journal, PbxIngestMetrics metrics, ILogger<PbxIngestGrain> logger)
    {
        _dispatcher = dispatcher;
        _metrics = metrics;
        _logger = logger;
        (_tenantId, _pbxId) = PbxIngestGrainKey.Parse(this.GetPrimaryKeyString());

        // A lost mark only means a replay of a frame already applied, which changes nothing.
        _marks = new(batches => journal.MarkAppliedAsync(batches, CancellationToken.None), (ex, n) => Log.MarkFailed(logger, ex, n, _tenantId, _pbxId));
        _changedCalls = new(calls => dispatcher.CallsChangedAsync(_tenantId, calls), (ex, n) => Log.SwitchboardUpdateFailed(logger, ex, n, _tenantId));
    }

    public async Task<bool> EnqueueAsync(IReadOnlyList<ParsedFrame> frames, TimeSpan wait)
    {
        var ahead = _pending.Count;
        var streaming = CountArrival(frames.Count) > StreamingFramesPerSecond || frames.Count >= StreamingBatchFrames;
        var applied = Enqueue(frames);
        if (ahead > MaxFramesAhead)
        {
            await applied;
            return true;
        }

        if (ahead > 0 || streaming || wait <= TimeSpan.Zero)
        {
            return applied.IsCompleted;
        }

        return await Task.WhenAny(applied, Task.Delay(wait)) == applied;
    }

    public Task<int> ReplayAsync(IReadOnlyList<ParsedFrame> frames) => Enqueue(frames);

    public async Task ShowNewCallsAsync(IReadOnlyList<ParsedFrame> frames)
    {
        var shows = new List<Task>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var frame in frames)
        {
            if (PbxEventDispatcher.OwnerOf(frame) is not { } owner || owner == PbxEventDispatcher.Extensions || !seen.Add(owner))
            {
                continue;
            }

            // A call with frames queued or seen lately is not new; its frames go in order through its line.
            if (frame.Event is CallStatusChanged && !_lines.ContainsKey(owner) && !_recentCalls.Contains(owner))
            {
                shows.Add(ShowAsync(owner, frame));
            }

            _recentCalls.Add(owner);
        }

        await Task.WhenAll(shows);
    }

    private async Task ShowAsync(string callId, ParsedFrame frame)
    {
        try
        {
            await _dispatcher.ShowIfNewAsync(_tenantId, _pbxId, callId, frame);
        }
        catch (Exception ex)
        {
            // Only the early pop is lost: the frame is applied (and pushed) once journaled.
            Log.EarlyShowFailed(_logger, ex, callId, _tenantId, _pbxId);
        }
    }

    // Frames that arrived in the last whole second or in this one so far, whichever is more (this batch not counted).
    private int CountArrival(int frames)
    {
        var now = Stopwatch.GetTimestamp();
        var sinceWindow = Stopwatch.GetElapsedTime(_windowStart, now);
        if (sinceWindow >= TimeSpan.FromSeconds(1))
        {
            _framesLastWindow = sinceWindow < TimeSpan.FromSeconds(2) ? _framesThisWindow : 0;
            _framesThisWindow = 0;
            _windowStart = now;
        }

        var rate = Math.Max(_framesLastWindow, _framesThisWindow);
        _framesThisWindow += frames;
        return rate;
    }

    private Task<int> Enqueue(IReadOnlyList<ParsedFrame> frames)
    {
        // A frame already waiting here (a replay racing its own request) is applied once, and the arrival that has it
        // marks its batch.
        var fresh = frames.Where(f => !_pending.ContainsKey(f.DedupeKey)).DistinctBy(f => f.DedupeKey).ToList();
        var arrival = new Arrival(fresh, frames.Where(f => _pending.ContainsKey(f.DedupeKey)).Select(f => f.BatchId), _marks);
        foreach (var frame in fresh)
        {
            if (PbxEventDispatcher.OwnerOf(frame) is not { } owner)
            {
                // Informational frames: done once journaled.
                arrival.Settle(frame, applied: true);
                continue;
            }

            _pending[frame.DedupeKey] = arrival;
            _recentCalls.Add(owner);
            if (!_lines.TryGetValue(owner, out var line))
            {
                _lines[owner] = line = new OwnerLine(owner);
            }

            line.Waiting.Add(frame);
            line.Running ??= RunLineAsync(line);
        }

        return arrival.Done;
    }

    private async Task RunLineAsync(OwnerLine line)
    {
        while (line.Waiting.Count > 0)
        {
            var frames = line.Waiting;
            line.Waiting = [];
            var started = Stopwatch.GetTimestamp();
            var applied = false;

            // A line runs on past the request that started it: each apply is a span of the request its first frame came with.
            // (Only looked up while something listens: this is the ingest path.)
            using var activity = ApiTelemetry.Source.HasListeners()
                ? ApiTelemetry.Source.StartActivity("apply frames", ActivityKind.Internal, _pending.GetValueOrDefault(frames[0].DedupeKey)?.Trace ?? default)
                : null;
            activity?.SetTag("telephony.tenant", _tenantId);
            activity?.SetTag("telephony.pbx", _pbxId);
            activity?.SetTag("telephony.frames", frames.Count);
            try
            {
                if (await _dispatcher.ApplyAsync(_tenantId, _pbxId, line.Owner, frames) is { } changed)
                {
                    _changedCalls.Add([changed]);
                }

                applied = true;
            }
            catch (Exception ex)
            {
                // The frames stay journaled and unapplied; the replay service queues them here again.
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                Log.ApplyFailed(_logger, ex, frames[0].EventType ?? "?", _tenantId, _pbxId);
            }

            _metrics.Dispatched(frames.Count, Stopwatch.GetElapsedTime(started));
            foreach (var frame in frames)
            {
                if (_pending.Remove(frame.DedupeKey, out var arrival))
                {
                    arrival.Settle(frame, applied);
                }
            }
        }

        _lines.Remove(line.Owner);
    }

    private sealed class OwnerLine(string owner)
    {
        public string Owner { get; } = owner;

        public List<ParsedFrame> Waiting { get; set; } = [];

        public Task? Running { get; set; }
    }

    /// <summary>
    /// The frames of one request or replay: done when each was applied or failed. A journal batch is marked applied
    /// when all of its frames here were, unless some of them were left to another arrival (which then marks it).
    /// </summary>
    private sealed class Arrival
    {
        private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<long, int> _unsettledByBatch = [];
        private readonly HashSet<long> _notMine = [];
        private readonly CoalescedFlush<long> _marks;
        private int _remaining;
        private int _applied;

        public Arrival(IReadOnlyList<ParsedFrame> frames, IEnumerable<long> batchesSharedWithOthers, CoalescedFlush<long> marks)
        {
            _marks = marks;
            Trace = Activity.Current?.Context ?? default;
            _remaining = frames.Count;
            _notMine.UnionWith(batchesSharedWithOthers);
            foreach (var frame in frames)
            {
                _unsettledByBatch[frame.BatchId] = _unsettledByBatch.GetValueOrDefault(frame.BatchId) + 1;
            }

            if (frames.Count == 0)
            {
                _done.SetResult(0);
            }
        }

        public Task<int> Done => _done.Task;

        /// <summary>The trace of the request (or replay) the frames came with.</summary>
        public ActivityContext Trace { get; }

        public void Settle(ParsedFrame frame, bool applied)
        {
            _applied += applied ? 1 : 0;
            if (!applied)
            {
                // Left unmarked: the replay offers the batch again.
                _notMine.Add(frame.BatchId);
            }

            if (--_unsettledByBatch[frame.BatchId] == 0 && frame.BatchId != 0 && !_notMine.Contains(frame.BatchId))
            {
                _marks.Add([frame.BatchId]);
            }

            if (--_remaining == 0)
            {
                _done.SetResult(_applied);
            }
        }
    }
}
