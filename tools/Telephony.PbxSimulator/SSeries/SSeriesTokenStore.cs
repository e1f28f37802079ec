using System.Security.Cryptography;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// S-Series tokens (B2): one per login, valid for SSeriesTokenLifetime after the last request (sliding; heartbeat is the
// documented way to extend it). Times are simulated; the per-IP login lock lives in LoginLockout.
internal sealed class SSeriesTokenStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SSeriesSession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expired = new(StringComparer.Ordinal);
    private readonly SimClock _clock;
    private readonly PbxSimulatorOptions _options;

    public SSeriesTokenStore(SimClock clock, PbxSimulatorOptions options)
    {
        _clock = clock;
        _options = options;
    }

    public int ValidCount
    {
        get
        {
            lock (_gate)
            {
                PruneLocked();
                return _sessions.Count;
            }
        }
    }

    // Sessions whose token is still valid, for event delivery (B3: events are only sent while the token is valid).
    public IReadOnlyList<SSeriesSession> ValidSessions()
    {
        lock (_gate)
        {
            PruneLocked();
            return [.. _sessions.Values];
        }
    }

    public SSeriesSession Issue(string loginIp, EventTarget? target, string version)
    {
        lock (_gate)
        {
            PruneLocked();

            // The fixtures show 32 lowercase hex characters.
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = new SSeriesSession(token, loginIp, target, version, _clock.UtcNow + _options.SSeriesTokenLifetime);
            _sessions[token] = session;
            return session;
        }
    }

    // 20005 token blank, 20004 no such token, 20006 token timed out (B7); on success the validity is extended.
    public int Touch(string? token, out SSeriesSession? session)
    {
        session = null;
        if (string.IsNullOrEmpty(token))
        {
            return SSeriesErrno.TokenBlank;
        }

        lock (_gate)
        {
            PruneLocked();
            if (_sessions.TryGetValue(token, out var found))
            {
                found.ExpiresAt = _clock.UtcNow + _options.SSeriesTokenLifetime;
                session = found;
                return 0;
            }

            return _expired.Contains(token) ? SSeriesErrno.TokenTimeout : SSeriesErrno.NoSuchToken;
        }
    }

    public void Revoke(string token)
    {
        lock (_gate)
        {
            _sessions.Remove(token);
        }
    }

    public void ExpireAll()
    {
        lock (_gate)
        {
            foreach (var token in _sessions.Keys)
            {
                _expired.Add(token);
            }

            _sessions.Clear();
        }
    }

    private void PruneLocked()
    {
        var now = _clock.UtcNow;
        foreach (var expired in _sessions.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList())
        {
            _sessions.Remove(expired);
            _expired.Add(expired);
        }
    }
}
