using System.Globalization;
using System.Text.Json.Nodes;

namespace Telephony.Benchmarks;

/// <summary>
/// One PBX's frame stream: <see cref="ConcurrentCalls"/> calls in the air, their frames interleaved but each call's in
/// order, one garbage frame in a hundred; remembers every call it started and the outcome it must be logged with.
/// Call ids carry <paramref name="tag"/> (<c>1764590000.i1-42</c>) so a run's calls can be told from other runs'.
/// </summary>
internal sealed class PbxTraffic(BenchPbx pbx, int seed, string tag)
{
    public const int ConcurrentCalls = 20;

    private readonly Random _random = new(seed);
    private readonly List<CallScript> _active = [];
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private long _sequence;

    public BenchPbx Pbx { get; } = pbx;

    public string Tag { get; } = tag;

    /// <summary>Every call started, by PBX call id, with the outcome it must end up with.</summary>
    public IReadOnlyDictionary<string, string> Expected => _expected;

    public int OpenCalls => _active.Count;

    /// <summary>The next frames; with <paramref name="startNewCalls"/> false only the calls in the air go on (to drain).</summary>
    public List<JsonObject> Next(int count, bool startNewCalls)
    {
        var frames = new List<JsonObject>(count);
        while (frames.Count < count)
        {
            while (startNewCalls && _active.Count < ConcurrentCalls)
            {
                var callId = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Tag}{++_sequence}");
                var call = CallScript.Create(_random, callId, 1001);
                _expected[callId] = call.Outcome;
                _active.Add(call);
            }

            if (_active.Count == 0)
            {
                break;
            }

            if (_random.Next(100) == 0)
            {
                frames.Add(CallScript.Garbage(_random));
                continue;
            }

            var index = _random.Next(_active.Count);
            frames.Add(_active[index].NextFrame());
            if (_active[index].IsDone)
            {
                _active.RemoveAt(index);
            }
        }

        return frames;
    }
}
