using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator;

// Fault switches of a running simulator; they take effect immediately.
public sealed class PbxFaults
{
    private readonly EventHub _hub;
    private readonly TokenStore _tokens;
    private long _heartbeatReplyDelayTicks;
    private volatile bool _rejectLogins;

    internal PbxFaults(EventHub hub, TokenStore tokens)
    {
        _hub = hub;
        _tokens = tokens;
    }

    // When set, get_token answers the documented auth failure (errcode -1).
    public bool RejectLogins
    {
        get => _rejectLogins;
        set => _rejectLogins = value;
    }

    // Real-time delay before a heartbeat response is sent.
    public TimeSpan HeartbeatReplyDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _heartbeatReplyDelayTicks));
        set => Interlocked.Exchange(ref _heartbeatReplyDelayTicks, value.Ticks);
    }

    // Aborts every open WebSocket now.
    public void DropAllSockets() => _hub.AbortAll();

    // Invalidates every access token now; later requests get 10004 TOKEN EXPIRED.
    public void ExpireAllTokens() => _tokens.ExpireAllAccessTokens();
}
