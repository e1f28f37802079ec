using System.Globalization;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.Scenarios;

// Background restaurant traffic: mostly inbound calls from mobile numbers to a single extension or to ring group
// 6300 (the first three extensions), about 20% missed, some outbound calls (a fifth of them busy) and a few internal
// calls. Calls only ever use idle extensions. Which calls are recorded is RecordingShare's draw in the engine.
internal sealed class TrafficGenerator
{
    // Ring group number used for group calls; any 4-digit number outside the extension range would do.
    public const string RingGroupNumber = "6300";

    private readonly CallEngine _engine;
    private readonly SimClock _clock;
    private readonly LockedRandom _random;
    private readonly PbxSimulatorOptions _options;

    public TrafficGenerator(CallEngine engine, SimClock clock, LockedRandom random, PbxSimulatorOptions options)
    {
        _engine = engine;
        _clock = clock;
        _random = random;
        _options = options;
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

    private string Pick(IReadOnlyList<string> items) => items[_random.Next(0, items.Count)];

    // Russian mobile numbers in the national dialling format the trunk delivers: "89" + 9 digits (e.g. 89161234567).
    // Restaurants live on regulars: 60% of callers come from a pool of 300 (8 916 000 00 00 … 02 99, the numbers the
    // API's demo directory knows), the rest are new numbers.
    private string MobileNumber() => _random.NextDouble() < 0.6
        ? string.Create(CultureInfo.InvariantCulture, $"8916000{_random.Next(0, 300):D4}")
        : string.Create(CultureInfo.InvariantCulture, $"89{_random.Next(100_000_000, 1_000_000_000)}");
}
