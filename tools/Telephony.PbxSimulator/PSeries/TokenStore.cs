using System.Security.Cryptography;
using Telephony.PbxSimulator.Engine;

namespace Telephony.PbxSimulator.PSeries;

// Access and refresh tokens with simulated-time expiry (A2).
internal sealed class TokenStore
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _refresh = new(StringComparer.Ordinal);
    private readonly SimClock _clock;
    private readonly PbxSimulatorOptions _options;

    public TokenStore(SimClock clock, PbxSimulatorOptions options)
    {
        _clock = clock;
        _options = options;
    }

    public int ValidAccessTokenCount
    {
        get
        {
            lock (_gate)
            {
                Prune();
                return _access.Count;
            }
        }
    }

    // Issues a new token pair, or null when the 8-valid-tokens cap of A2 is reached.
    public TokenPair? Issue()
    {
        lock (_gate)
        {
            Prune();
            if (_access.Count >= _options.MaxAccessTokens)
            {
                return null;
            }

            return IssueLocked();
        }
    }

    // Rotates a refresh token. The old refresh token is spent; what happens to the old access token is UNKNOWN (A2.2),
    // so it simply stays valid until it expires.
    public RefreshResult Refresh(string refreshToken)
    {
        lock (_gate)
        {
            Prune();
            if (!_refresh.ContainsKey(refreshToken))
            {
                return RefreshResult.InvalidToken;
            }

            // Checked before spending the refresh token so a client at the cap can retry once a token expires.
            if (_access.Count >= _options.MaxAccessTokens)
            {
                return RefreshResult.LimitReached;
            }

            _refresh.Remove(refreshToken);
            return new RefreshResult(IssueLocked(), false);
        }
    }

    public bool IsValidAccessToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_gate)
        {
            return _access.TryGetValue(token, out var expiresAt) && expiresAt > _clock.UtcNow;
        }
    }

    public void Revoke(string token)
    {
        lock (_gate)
        {
            _access.Remove(token);
        }
    }

    public void ExpireAllAccessTokens()
    {
        lock (_gate)
        {
            _access.Clear();
        }
    }

    private TokenPair IssueLocked()
    {
        var now = _clock.UtcNow;
        var access = NewToken();
        var refresh = NewToken();
        _access[access] = now + _options.AccessTokenLifetime;
        _refresh[refresh] = now + _options.RefreshTokenLifetime;
        return new TokenPair(access, refresh);
    }

    private void Prune()
    {
        var now = _clock.UtcNow;
        foreach (var expired in _access.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
        {
            _access.Remove(expired);
        }

        foreach (var expired in _refresh.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
        {
            _refresh.Remove(expired);
        }
    }

    // Fixtures show 32 alphanumeric characters.
    private static string NewToken() => RandomNumberGenerator.GetString(TokenAlphabet, 32);
}
