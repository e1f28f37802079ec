namespace Telephony.PbxSimulator.SSeries;

// One logged-in S-Series API client: its token, the address it logged in from, where its events go and the event
// format version it asked for.
internal sealed class SSeriesSession(string token, string loginIp, EventTarget? target, string version, DateTimeOffset expiresAt)
{
    private static long _logins;

    // Login order: the PBX reports events to the address of its newest API login (one API account per PBX).
    public long LoginNumber { get; } = Interlocked.Increment(ref _logins);

    public string Token { get; } = token;

    // B3: a relative event URL (urltag "0") is posted to the login source IP, also after a heartbeat re-states it.
    public string LoginIp { get; } = loginIp;

    public EventTarget? Target { get; set; } = target;

    public string Version { get; set; } = version;

    // Simulated time; only read or written under the token store's lock.
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
}
