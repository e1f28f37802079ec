using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator;

// Failed API logins per client IP and the IPs they locked, for both kinds: P-Series blocks an IP after 5 failed auth
// attempts until it is removed by hand (A4, errcode 70004); S-Series locks it for 10 minutes (B2, errno 20002), also
// removable by hand. Lock times are simulated.
internal sealed class LoginLockout
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lockedUntil = new(StringComparer.Ordinal);
    private readonly SimClock _clock;
    private readonly int _maxFailures;
    private readonly TimeSpan? _lockFor;
    private long _refusedLogins;
    private long _lockouts;

    // lockFor null: locked until UnlockAll (the manual removal).
    public LoginLockout(SimClock clock, int maxFailures, TimeSpan? lockFor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        _clock = clock;
        _maxFailures = maxFailures;
        _lockFor = lockFor;
    }

    // Logins answered with an auth failure.
    public long RefusedLogins => Interlocked.Read(ref _refusedLogins);

    // Times an IP became locked.
    public long Lockouts => Interlocked.Read(ref _lockouts);

    public bool IsAnyLocked
    {
        get
        {
            lock (_gate)
            {
                var now = _clock.UtcNow;
                return _lockedUntil.Values.Any(until => until > now);
            }
        }
    }

    public bool IsLocked(string ip)
    {
        lock (_gate)
        {
            return _lockedUntil.TryGetValue(ip, out var until) && until > _clock.UtcNow;
        }
    }

    // Counts a refused login; the MaxLoginFailures-th in a row locks the IP and starts its count afresh.
    public void RecordFailure(string ip)
    {
        Interlocked.Increment(ref _refusedLogins);
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(ip) + 1;
            if (failures < _maxFailures)
            {
                _failures[ip] = failures;
                return;
            }

            _failures.Remove(ip);
            _lockedUntil[ip] = _lockFor is { } lockFor ? _clock.UtcNow + lockFor : DateTimeOffset.MaxValue;
            Interlocked.Increment(ref _lockouts);
        }
    }

    // A successful login ends the run of failures.
    public void RecordSuccess(string ip)
    {
        lock (_gate)
        {
            _failures.Remove(ip);
        }
    }

    public void UnlockAll()
    {
        lock (_gate)
        {
            _lockedUntil.Clear();
        }
    }
}
