using System.Collections.Immutable;
using System.Globalization;
using Telephony.Core.Calls;

namespace Telephony.Core.Tests.Storage;

/// <summary>
/// Seeded calls of every kind the stats and the callback queue distinguish: inbound, outbound and internal; ring
/// groups with three phones; answered, missed, busy, failed; satisfaction results; a few numbers that call often.
/// Each call can be taken through its lifecycle (ringing → answered → ended → CDR) as separate writes.
/// </summary>
internal sealed class RandomCalls(int seed, string tenantId, DateTimeOffset from, TimeSpan span)
{
    private static readonly string[] Phones = ["1001", "1002", "1003", "1004"];

    private readonly Random _random = new(seed);
    private int _sequence;

    /// <summary>A call as it ends (with its CDR), started somewhere in the span.</summary>
    public CallRecord Ended()
    {
        var at = from.AddSeconds(_random.NextDouble() * span.TotalSeconds);
        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var kind = _random.Next(10);
        var direction = kind < 6 ? CallDirection.Inbound : kind < 9 ? CallDirection.Outbound : CallDirection.Internal;
        var r = _random.Next(20);
        var outcome = r < 12 ? CallOutcome.Answered : r < 17 ? CallOutcome.Missed : r < 19 ? CallOutcome.Busy : CallOutcome.Failed;
        var group = direction == CallDirection.Inbound && _random.Next(3) > 0;
        var phones = group ? Phones.Take(3).ToList() : [Phones[_random.Next(4)]];
        var answerer = outcome == CallOutcome.Answered ? phones[_random.Next(phones.Count)] : null;

        // Rings from 0 to 45 s, a few longer than any short-abandon threshold and some unknown.
        int? ring = _random.Next(15) == 0 ? null : _random.Next(8) == 0 ? _random.Next(600, 700) : _random.Next(46);
        var talk = outcome == CallOutcome.Answered ? _random.Next(5, 300) : 0;
        var number = $"+7999000{_random.Next(30):D4}";
        var legs = phones.Select(p => p == answerer
            ? new CallLeg(p, at, at.AddSeconds(ring ?? 0), at.AddSeconds((ring ?? 0) + talk), CallOutcome.Answered)
            : new CallLeg(p, at, null, at.AddSeconds(ring ?? 0), CallOutcome.Missed)).ToImmutableList();
        var state = CallState.New(string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeSeconds()}.{++_sequence}")) with
        {
            Direction = direction,
            Status = CallStatus.Ended,
            Outcome = outcome,
            From = direction == CallDirection.Inbound ? "8" + number[2..] : phones[0],
            To = direction == CallDirection.Outbound ? "8" + number[2..] : "6300",
            ExternalNumber = direction == CallDirection.Internal ? null : "8" + number[2..],
            Extension = answerer ?? phones[0],
            RingGroup = group ? "6300" : null,
            StartedAt = at,
            AnsweredAt = answerer is null ? null : at.AddSeconds(ring ?? 0),
            EndedAt = at.AddSeconds((ring ?? 0) + talk),
            RingSeconds = ring,
            TalkSeconds = talk,
            DurationSeconds = (ring ?? 0) + talk,
            Satisfaction = answerer is not null && _random.Next(4) == 0 ? _random.Next(6) == 0 ? "good" : (1 + _random.Next(5)).ToString(CultureInfo.InvariantCulture) : null,
            HasCdr = true,
            LastEventAt = at.AddSeconds((ring ?? 0) + talk),
            Legs = legs,
        };
        return CallRecord.From(tenantId, "main", Guid.CreateVersion7(at), state, direction == CallDirection.Internal ? null : number);
    }

    /// <summary>The same call while it still rang: no outcome, no end, legs open.</summary>
    public static CallRecord Ringing(CallRecord ended) => ended with
    {
        State = ended.State with
        {
            Status = CallStatus.Ringing,
            Outcome = null,
            AnsweredAt = null,
            EndedAt = null,
            RingSeconds = null,
            TalkSeconds = null,
            DurationSeconds = null,
            Satisfaction = null,
            HasCdr = false,
            Extension = ended.State.Legs.FirstOrDefault()?.Extension ?? ended.State.Extension,
            Legs = [.. ended.State.Legs.Select(l => l with { AnsweredAt = null, EndedAt = null, Outcome = null })],
        },
    };

    /// <summary>Ended from live events, before the CDR: outcome known, timings a little off.</summary>
    public static CallRecord EndedLive(CallRecord ended) => ended with
    {
        State = ended.State with { HasCdr = false, RingSeconds = ended.State.RingSeconds + 1, Satisfaction = null },
    };

    /// <summary>A CDR that disagrees with what was written before: another outcome, ring time, handler or start.</summary>
    public CallRecord Corrected(CallRecord call)
    {
        var s = call.State;
        return _random.Next(4) switch
        {
            0 => call with { State = s with { Outcome = s.Outcome == CallOutcome.Answered ? CallOutcome.Missed : CallOutcome.Answered, TalkSeconds = 0 } },
            1 => call with { State = s with { RingSeconds = _random.Next(60) } },
            2 => call with { State = s with { Extension = Phones[_random.Next(4)], Satisfaction = "4" } },
            _ => call with { State = s with { StartedAt = s.StartedAt!.Value.AddMinutes(-_random.Next(1, 180)) } },
        };
    }
}
