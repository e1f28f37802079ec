using System.Globalization;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.Scenarios;

// Background restaurant traffic: mostly inbound calls from mobile numbers to a single extension or to ring group
// 6300 (the first three extensions), about 20% missed, some outbound calls (a fifth of them busy) and a few internal
// calls. Calls only ever use idle extensions. Which calls are recorded is RecordingShare's draw in the engine.
// With a queue configured (the first of PbxSimulatorOptions.Queues), a fifth of the inbound calls go through it: some
// callers give up within seconds (short abandons), some wait through ringing timeouts (so the first agents in line get
// auto-paused now and then), and an agent occasionally pauses for lunch; paused agents come back after a few minutes.
internal sealed class TrafficGenerator
{
    // Share of inbound calls that go through the queue when one is configured.
    private const double QueueShare = 0.2;

    // Ring group number used for group calls; any 4-digit number outside the extension range would do.
    public const string RingGroupNumber = "6300";

    private readonly CallEngine _engine;
    private readonly SimClock _clock;
    private readonly LockedRandom _random;
    private readonly PbxSimulatorOptions _options;
    private readonly PbxQueueOptions? _queue;

    // Paused agents and when the scenario brings each back (simulated time).
    private readonly Dictionary<string, DateTimeOffset> _returnsAt = new(StringComparer.Ordinal);

    public TrafficGenerator(CallEngine engine, SimClock clock, LockedRandom random, PbxSimulatorOptions options)
    {
        _engine = engine;
        _clock = clock;
        _random = random;
        _options = options;
        _queue = options.Queues.Count > 0 ? options.Queues[0] : null;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var meanGapSeconds = 60.0 / _options.CallsPerMinute;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Poisson arrivals: exponential gaps around the configured mean.
            var gap = -Math.Log(1.0 - _random.NextDouble()) * meanGapSeconds;
            try
            {
                await _clock.Delay(TimeSpan.FromSeconds(gap), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (_queue is not null)
                {
                    TendAgents(_queue);
                }

                StartOne();
            }
            catch (InvalidOperationException)
            {
                // A scripted call grabbed the extension between the idle check and the start; skip this arrival.
            }
        }
    }

    private void StartOne()
    {
        var idle = _engine.IdleExtensions();
        if (idle.Count == 0)
        {
            return;
        }

        var ring = _random.NextSeconds(2, 20);
        var talk = _random.NextSeconds(20, 240);
        var missed = _random.NextDouble() < 0.2;
        var roll = _random.NextDouble();
        if (roll < 0.7)
        {
            // Drawn only with a queue configured, so seeded runs without one keep their sequence.
            if (_queue is not null && _random.NextDouble() < QueueShare)
            {
                StartQueueCall(_queue, talk);
                return;
            }

            var group = _options.Extensions.Take(3).Where(idle.Contains).ToList();
            if (_options.Extensions.Count >= 3 && group.Count >= 2 && _random.NextDouble() < 0.4)
            {
                var answeredBy = missed ? null : group[_random.Next(0, group.Count)];
                _engine.StartInboundRingGroup(MobileNumber(), group, RingGroupNumber, ring, answeredBy, missed ? null : talk, record: false);
                return;
            }

            _engine.StartInbound(MobileNumber(), Pick(idle), ring, missed ? null : talk, record: false);
            return;
        }

        if (roll < 0.9 || idle.Count < 2)
        {
            var busy = _random.NextDouble() < 0.2;
            _engine.StartOutbound(Pick(idle), MobileNumber(), ring, missed ? null : talk, busy, record: false);
            return;
        }

        var from = Pick(idle);
        var to = Pick([.. idle.Where(e => !string.Equals(e, from, StringComparison.Ordinal))]);
        _engine.StartInternal(from, to, ring, missed ? null : talk, record: false);
    }

    // Callers' patience: 15% hang up within 1–4 s, the rest wait 30 s to 3 min. Most are answered by the first agent in
    // line; a quarter ring one agent out first and a tenth two (each a 30026); 15% of the patient callers are never
    // answered and abandon after their wait.
    private void StartQueueCall(PbxQueueOptions queue, TimeSpan talk)
    {
        if (_random.NextDouble() < 0.15)
        {
            _engine.StartInboundQueue(MobileNumber(), queue.Number, _random.NextSeconds(1, 4), ringTimeouts: 0, answerAfterRinging: null, talkFor: null, record: false);
            return;
        }

        var maxWait = _random.NextSeconds(30, 180);
        var timeoutsRoll = _random.NextDouble();
        var ringTimeouts = timeoutsRoll < 0.1 ? 2 : timeoutsRoll < 0.35 ? 1 : 0;
        var answered = _random.NextDouble() >= 0.15;
        var maxAnswerSeconds = Math.Max(1, Math.Min(10, (int)queue.AgentRingTimeout.TotalSeconds - 1));
        var answerAfter = _random.NextSeconds(Math.Min(2, maxAnswerSeconds), maxAnswerSeconds);
        if (answerAfter >= queue.AgentRingTimeout)
        {
            answered = false;
        }

        _engine.StartInboundQueue(MobileNumber(), queue.Number, maxWait, ringTimeouts, answered ? answerAfter : null, answered ? talk : null, record: false);
    }

    // Now and then an agent takes a lunch pause; every paused agent (lunch or auto pause) is back 2–5 minutes later.
    private void TendAgents(PbxQueueOptions queue)
    {
        var now = _clock.UtcNow;
        var paused = _engine.PausedAgents(queue.Number);
        foreach (var (agent, since) in paused)
        {
            if (!_returnsAt.TryGetValue(agent, out var returnsAt))
            {
                returnsAt = since + _random.NextSeconds(120, 300);
                _returnsAt[agent] = returnsAt;
            }

            if (now >= returnsAt)
            {
                _engine.UnpauseAgent(queue.Number, agent);
                _returnsAt.Remove(agent);
            }
        }

        foreach (var agent in _returnsAt.Keys.Where(a => !paused.ContainsKey(a)).ToList())
        {
            _returnsAt.Remove(agent);
        }

        // The documented 30029 example's reason (p-30029-agent-status-changed.json); reasons are the PBX's own list.
        if (_random.NextDouble() < 0.02)
        {
            var available = queue.Agents.Where(a => !paused.ContainsKey(a)).ToList();
            if (available.Count > 1)
            {
                _engine.PauseAgent(queue.Number, Pick(available), "Lunch");
            }
        }
    }

    private string Pick(IReadOnlyList<string> items) => items[_random.Next(0, items.Count)];

    // Russian mobile numbers in the national dialling format the trunk delivers: "89" + 9 digits (e.g. 89161234567).
    // Restaurants live on regulars: 60% of callers come from a pool of 300 (8 916 000 00 00 … 02 99, the numbers the
    // API's demo directory knows), the rest are new numbers.
    private string MobileNumber() => _random.NextDouble() < 0.6
        ? string.Create(CultureInfo.InvariantCulture, $"8916000{_random.Next(0, 300):D4}")
        : string.Create(CultureInfo.InvariantCulture, $"89{_random.Next(100_000_000, 1_000_000_000)}");
}
