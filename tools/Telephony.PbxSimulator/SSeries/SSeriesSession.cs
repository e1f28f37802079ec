namespace Telephony.PbxSimulator.SSeries;

// One logged-in S-Series API client: its token, where its events go and the event format version it asked for.
internal sealed class SSeriesSession(string token, EventTarget? target, string version, DateTimeOffset expiresAt)
{
    private static long _logins;

    // Login order: the PBX reports events to the address of its newest API login (one API account per PBX).
    public long LoginNumber { get; } = Interlocked.Increment(ref _logins);

    public string Token { get; } = token;

    public EventTarget? Target { get; set; } = target;

    public string Version { get; set; } = version;

    // Simulated time; only read or written under the token store's lock.
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
}
