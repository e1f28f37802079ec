using System.Globalization;

namespace Telephony.PbxBridge.CatchUp;

/// <summary>
/// The calls seen live whose CDR has not been seen yet, by start (the call id's prefix is the start in Unix seconds,
/// A8.1), fed by both families: P-Series socket frames, S-Series pushes and every backfilled CDR. A long call that ends
/// in a gap has its CDR stamped with a start older than the last CDR seen, so the next backfill window reaches back to it.
/// </summary>
internal sealed class LiveCallTracker
{
    private const int MaxOpenCalls = 50_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _openCalls = new(StringComparer.Ordinal);

    /// <summary>A call seen live: until its CDR is seen, a backfill window reaches back to its start.</summary>
    public void ObserveLiveCall(string callId)
    {
        if (!TryReadStart(callId, out var startUnix))
        {
            return;
        }

        lock (_gate)
        {
            if (_openCalls.Count < MaxOpenCalls)
            {
                _openCalls.TryAdd(callId, startUnix);
            }
        }
    }

    /// <summary>A call's CDR was seen (live or backfilled): it no longer holds a window open.</summary>
    public void ObserveCdrFor(string callId)
    {
        lock (_gate)
        {
            _openCalls.Remove(callId);
        }
    }

    /// <summary>
    /// The start of the oldest call still waiting for its CDR, or null when none is. Calls that started before
    /// <paramref name="horizon"/> lost their CDR for good (or never had one) and are forgotten: they must not pin the window.
    /// </summary>
    public DateTimeOffset? OldestStart(DateTimeOffset horizon)
    {
        var horizonUnix = horizon.ToUnixTimeSeconds();
        lock (_gate)
        {
            foreach (var stale in _openCalls.Where(c => c.Value < horizonUnix).Select(c => c.Key).ToList())
            {
                _openCalls.Remove(stale);
            }

            return _openCalls.Count > 0 ? DateTimeOffset.FromUnixTimeSeconds(_openCalls.Values.Min()) : null;
        }
    }

    private static bool TryReadStart(string callId, out long startUnix)
    {
        var dot = callId.IndexOf('.', StringComparison.Ordinal);
        return long.TryParse(dot < 0 ? callId : callId[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out startUnix) && startUnix > 0;
    }
}
