namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Lets through at most <c>limit</c> log lines per <c>window</c> and counts the rest, so a flood of refused requests
/// cannot fill the disk; the next line let through says how many were left out before it.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, int limit, TimeSpan window)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _logged;
    private long _suppressed;

    /// <summary>True when this line may be logged; <paramref name="suppressedBefore"/> is how many were dropped since the last one.</summary>
    public bool TryAcquire(out long suppressedBefore)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= window)
            {
                _windowStart = now;
                _logged = 0;
            }

            if (_logged >= limit)
            {
                _suppressed++;
                suppressedBefore = 0;
                return false;
            }

            _logged++;
            suppressedBefore = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
