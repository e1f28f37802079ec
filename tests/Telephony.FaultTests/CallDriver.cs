using System.Globalization;

namespace Telephony.FaultTests;

/// <summary>
/// Scripted traffic with mixed outcomes on idle extensions: inbound to one extension or to a ring group, outbound
/// (some busy), internal; about a quarter unanswered; optionally a share of outbound calls the PBX cannot route (30015
/// with "members": null, no 30012; the FAILED CDR only in cdr/search), and optionally a share of inbound calls through the
/// simulator's first queue (its agents must be among the driver's extensions and then take queue calls only; off by default, so existing suites keep
/// their exact call mix): short abandons, ringing timeouts and auto pauses, with paused agents brought back now and then. Keeps <see cref="Concurrency"/> calls in the air until
/// <see cref="Total"/> calls have been started, and lets a test await "K calls completed" to toggle a fault.
/// </summary>
public sealed class CallDriver
{
    public const string RingGroupNumber = "6300";

    private readonly PbxSimulator.PbxSimulator _pbx;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly List<string> _idle;
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly double _unroutableShare;
    private readonly double _queueShare;
    private readonly PbxSimulator.PbxQueueOptions? _queue;
    private int _completed;

    public CallDriver(
        PbxSimulator.PbxSimulator pbx, IReadOnlyList<string> extensions, int total, int concurrency, int seed, double unroutableShare = 0, double queueShare = 0)
    {
        _pbx = pbx;
        _idle = [.. extensions];
        _unroutableShare = unroutableShare;
        _queueShare = queueShare;
        if (queueShare > 0)
        {
            _queue = pbx.Queues.Count > 0 ? pbx.Queues[0] : throw new ArgumentException("queueShare needs a queue in the simulator's options.", nameof(queueShare));
            if (!_queue.Agents.All(extensions.Contains))
            {
                throw new ArgumentException("The queue's agents must be among the driver's extensions.", nameof(queueShare));
            }

            // Agents answer queue calls only; several callers may wait at once, and the simulator skips a busy agent.
            var agents = _queue.Agents;
            _idle.RemoveAll(e => agents.Contains(e));
        }

        Total = total;
        Concurrency = concurrency;
        _random = new Random(seed);
    }

    public int Total { get; }

    public int Concurrency { get; }

    public int Completed => Volatile.Read(ref _completed);

    public static IReadOnlyList<string> Extensions(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (2001 + i).ToString(CultureInfo.InvariantCulture))];

    /// <summary>Runs until every started call has completed (its CDR emitted by the simulator).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Concurrency);
        var calls = new List<Task>(Total);
        for (var i = 0; i < Total; i++)
        {
            await slots.WaitAsync(cancellationToken);
            var (callId, reserved) = StartOne();
            calls.Add(FollowAsync(callId, reserved, slots, cancellationToken));
        }

        await Task.WhenAll(calls);
    }

    /// <summary>Completes when at least <paramref name="count"/> calls have completed.</summary>
    public Task WhenCompletedAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_completed >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
        }
    }

    private async Task FollowAsync(string callId, List<string> reserved, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await _pbx.WhenCallCompletedAsync(callId, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        lock (_gate)
        {
            _idle.AddRange(reserved);
            _completed++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _completed).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        slots.Release();
    }

    private (string CallId, List<string> Reserved) StartOne()
    {
        lock (_gate)
        {
            var ring = TimeSpan.FromSeconds(_random.Next(1, 9));
            var talk = TimeSpan.FromSeconds(_random.Next(2, 21));
            var missed = _random.NextDouble() < 0.25;
            var roll = _random.NextDouble();
            var external = string.Create(CultureInfo.InvariantCulture, $"89{_random.Next(100_000_000, 1_000_000_000)}");
            if (_unroutableShare > 0 && _random.NextDouble() < _unroutableShare)
            {
                var caller = Take(1);
                return (_pbx.StartUnroutableCall(caller[0], external), caller);
            }

            // Drawn only when queue calls are on, so the default mix and its seeds stay exactly as they were.
            if (_queue is not null && _random.NextDouble() < _queueShare)
            {
                return StartQueueCall(_queue, external, ring, talk, missed);
            }

            if (roll < 0.20 && _idle.Count >= 3)
            {
                var group = Take(3);
                var answeredBy = missed ? null : group[_random.Next(group.Count)];
                return (_pbx.StartInboundRingGroupCall(external, group, RingGroupNumber, ring, answeredBy, missed ? null : talk), group);
            }

            if (roll < 0.60)
            {
                var extension = Take(1);
                return (_pbx.StartInboundCall(external, extension[0], ring, missed ? null : talk), extension);
            }

            if (roll < 0.88 || _idle.Count < 2)
            {
                var extension = Take(1);
                var busy = _random.NextDouble() < 0.2;
                return (_pbx.StartOutboundCall(extension[0], external, ring, missed ? null : talk, busy), extension);
            }

            var pair = Take(2);
            return (_pbx.StartInternalCall(pair[0], pair[1], ring, missed ? null : talk), pair);
        }
    }

    // The queue's agents are kept apart from the other calls (no reservation: the simulator rings them one at a time,
    // skipping busy and paused ones). 15% of callers hang up
    // within 1–4 s; the others wait up to 30–90 s while 0, 1 or 2 agents ring out before one answers (missed: nobody does).
    private (string CallId, List<string> Reserved) StartQueueCall(PbxSimulator.PbxQueueOptions queue, string external, TimeSpan ring, TimeSpan talk, bool missed)
    {
        if (_random.NextDouble() < 0.5)
        {
            foreach (var agent in _pbx.PausedAgents(queue.Number))
            {
                _pbx.UnpauseAgent(queue.Number, agent);
            }
        }

        List<string> agents = [];
        if (_random.NextDouble() < 0.15)
        {
            var patience = TimeSpan.FromSeconds(_random.Next(1, 5));
            return (_pbx.StartInboundQueueCall(external, queue.Number, patience, ringTimeouts: 0, answerAfterRinging: null, talkFor: null), agents);
        }

        var maxWait = TimeSpan.FromSeconds(_random.Next(30, 91));
        var timeoutsRoll = _random.NextDouble();
        var ringTimeouts = timeoutsRoll < 0.1 ? 2 : timeoutsRoll < 0.35 ? 1 : 0;
        var answerAfter = ring < queue.AgentRingTimeout ? ring : queue.AgentRingTimeout / 2;
        return (_pbx.StartInboundQueueCall(external, queue.Number, maxWait, ringTimeouts, missed ? null : answerAfter, missed ? null : talk), agents);
    }

    private List<string> Take(int count)
    {
        var taken = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var index = _random.Next(_idle.Count);
            taken.Add(_idle[index]);
            _idle.RemoveAt(index);
        }

        return taken;
    }
}
