using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator;

// Fault switches of a running simulator; they take effect immediately.
public sealed class PbxFaults
{
    private readonly EventHub _hub;
    private readonly TokenStore _tokens;
    private readonly LoginLockout _lockout;
    private long _heartbeatReplyDelayTicks;
    private long _extensionListDelayTicks;
    private volatile bool _offline;
    private volatile bool _rejectLogins;
    private volatile bool _duplicateAndReorderFrames;
    private volatile bool _rejectTokens;
    private volatile bool _recordingDownloadsOneAtATime;
    private long _recordingDownloadDelayTicks;
    private int _recordingDownloadFailures;
    private long _failedRecordingDownloads;
    private int _cdrSearchFailures;
    private long _duplicatedFrames;
    private long _reorderedFrames;
    private long _failedCdrSearches;

    internal PbxFaults(EventHub hub, TokenStore tokens, LoginLockout lockout)
    {
        _hub = hub;
        _tokens = tokens;
        _lockout = lockout;
    }

    // When set, get_token answers the documented auth failure (errcode -1; S-Series login: 20003). Each refusal counts
    // toward the IP lock, as a wrong password would.
    public bool RejectLogins
    {
        get => _rejectLogins;
        set => _rejectLogins = value;
    }

    // While set, the PBX accepts no token at all: every request and WebSocket upgrade with an access token gets 10004
    // TOKEN EXPIRED, refresh_token answers 10004 and get_token the auth failure (errcode -1). Open sockets stay up
    // (combine with DropAllSockets to force a new login). S-Series: token-bearing requests get 20006 TOKEN TIMEOUT,
    // login 20003, and no events are pushed (B3: events are only sent while the token is valid).
    public bool RejectTokens
    {
        get => _rejectTokens;
        set => _rejectTokens = value;
    }

    // Real-time delay before a heartbeat response is sent.
    public TimeSpan HeartbeatReplyDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _heartbeatReplyDelayTicks));
        set => Interlocked.Exchange(ref _heartbeatReplyDelayTicks, value.Ticks);
    }

    // Real-time delay before extension/list answers (both families): a large or busy PBX, so that a bridge catching up
    // after a gap is still syncing extensions while new calls' events already arrive.
    public TimeSpan ExtensionListDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _extensionListDelayTicks));
        set => Interlocked.Exchange(ref _extensionListDelayTicks, value.Ticks);
    }

    // Next N cdr/search requests answer errcode -2 INTERNAL SERVER ERROR (S-Series: cdr/get_random answers FAILED)
    // (then it works again). Setting replaces the count.
    public int CdrSearchFailures
    {
        get => Volatile.Read(ref _cdrSearchFailures);
        set => Volatile.Write(ref _cdrSearchFailures, Math.Max(0, value));
    }

    // cdr/search requests answered with an error by CdrSearchFailures so far.
    public long FailedCdrSearches => Interlocked.Read(ref _failedCdrSearches);

    // A4's mp3 rule: while set, an audio download (P-Series download_resource_url, S-Series recording/download) that
    // starts while another is in flight is refused — P-Series errcode 70082 OVERLOAD_TASK_RUNNING, S-Series errno 20010.
    public bool RecordingDownloadsOneAtATime
    {
        get => _recordingDownloadsOneAtATime;
        set => _recordingDownloadsOneAtATime = value;
    }

    // Real-time pause before the audio is sent, during which the download counts as in flight.
    public TimeSpan RecordingDownloadDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _recordingDownloadDelayTicks));
        set => Interlocked.Exchange(ref _recordingDownloadDelayTicks, value.Ticks);
    }

    // Next N audio downloads (both families) answer HTTP 503 with no body, before the link or random is looked at
    // (then it works again). Setting replaces the count.
    public int FailRecordingDownloads
    {
        get => Volatile.Read(ref _recordingDownloadFailures);
        set => Volatile.Write(ref _recordingDownloadFailures, Math.Max(0, value));
    }

    // Audio downloads answered 503 by FailRecordingDownloads so far.
    public long FailedRecordingDownloads => Interlocked.Read(ref _failedRecordingDownloads);

    // When set, every event frame is sent twice, and when two event frames of different calls (or of a call and an
    // extension) are queued back to back on a socket, they are sent in swapped order. S-Series: the same for event POSTs
    // queued for the client.
    public bool DuplicateAndReorderFrames
    {
        get => _duplicateAndReorderFrames;
        set => _duplicateAndReorderFrames = value;
    }

    // Event frames sent a second time by DuplicateAndReorderFrames so far.
    public long DuplicatedFrames => Interlocked.Read(ref _duplicatedFrames);

    // Adjacent pairs of event frames swapped by DuplicateAndReorderFrames so far.
    public long ReorderedFrames => Interlocked.Read(ref _reorderedFrames);

    // While set, the PBX is unreachable (power cut, network down): every HTTP request is cut at the connection level
    // without a response, open WebSockets are dropped when it is switched on, and S-Series events are not pushed. Calls
    // carry on inside the PBX and get their CDRs, so a client must backfill them once it is back.
    public bool Offline
    {
        get => _offline;
        set
        {
            _offline = value;
            if (value)
            {
                _hub.AbortAll();
            }
        }
    }

    // Logins answered with an auth failure (P-Series get_token errcode -1, S-Series login errno 20003), whether from
    // wrong credentials or from RejectLogins/RejectTokens.
    public long RefusedLogins => _lockout.RefusedLogins;

    // Times an IP became locked after MaxLoginFailures refused logins in a row (P-Series 70004, S-Series 20002).
    public long IpLockouts => _lockout.Lockouts;

    // True while some client IP is blocked (P-Series) or locked (S-Series).
    public bool IsAnyIpLocked => _lockout.IsAnyLocked;

    // The manual removal of blocked API IPs on the PBX (A4 "Remove Blocked API IP Addresses"; B2 likewise for S-Series).
    public void UnblockAllIps() => _lockout.UnlockAll();

    // Aborts every open WebSocket now.
    public void DropAllSockets() => _hub.AbortAll();

    // Invalidates every access token now; later requests get 10004 TOKEN EXPIRED (S-Series: 20006 TOKEN TIMEOUT).
    public void ExpireAllTokens()
    {
        _tokens.ExpireAllAccessTokens();
        ExpireSSeriesTokens?.Invoke();
    }

    // Set in s-series mode, where the tokens live in the S-Series store.
    internal Action? ExpireSSeriesTokens { get; set; }

    internal bool TryConsumeCdrSearchFailure() => TryConsume(ref _cdrSearchFailures, ref _failedCdrSearches);

    internal bool TryConsumeRecordingDownloadFailure() => TryConsume(ref _recordingDownloadFailures, ref _failedRecordingDownloads);

    internal void CountDuplicated() => Interlocked.Increment(ref _duplicatedFrames);

    internal void CountReordered() => Interlocked.Increment(ref _reorderedFrames);

    // Takes one from an injected-failure budget, counting it as used.
    private static bool TryConsume(ref int left, ref long used)
    {
        while (true)
        {
            var now = Volatile.Read(ref left);
            if (now <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref left, now - 1, now) == now)
            {
                Interlocked.Increment(ref used);
                return true;
            }
        }
    }
}
