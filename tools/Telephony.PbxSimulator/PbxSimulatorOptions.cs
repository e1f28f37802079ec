namespace Telephony.PbxSimulator;

// Configuration of a simulated Yeastar P-Series PBX.
public sealed class PbxSimulatorOptions
{
    // Client ID expected as username by get_token.
    public string ClientId { get; set; } = "simulator";

    // Client Secret expected as password by get_token.
    public string ClientSecret { get; set; } = "simulator-secret";

    // TCP port on 127.0.0.1; 0 picks any free port.
    public int Port { get; set; }

    // When set, the PBX serves HTTPS and WSS with this certificate (a factory PBX's is self-signed), as A1's default.
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; set; }

    // PBX serial number sent as sn in event frames.
    public string SerialNumber { get; set; } = "3631A2124XXX";

    // Simulated seconds per real second; 10 makes rings, talks and token lifetimes ten times shorter.
    public double TimeScale { get; set; } = 1.0;

    // Access token lifetime in simulated time (A2: 30 min).
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    // Refresh token lifetime in simulated time (A2: 24 h).
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    // WebSocket is dropped after this much simulated time without a client frame (A5: 60 s).
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    // Valid access tokens allowed at once (A2: 8).
    public int MaxAccessTokens { get; set; } = 8;

    // Consecutive failed logins from one IP before it is locked (A4 P-Series: 5, then blocked until removed by hand with
    // PbxFaults.UnblockAllIps; B2 S-Series: 5, then locked for SSeriesLockoutDuration).
    public int MaxLoginFailures { get; set; } = 5;

    // IANA zone of the PBX wall clock used by CDR time_start.
    public string TimeZone { get; set; } = "Europe/Moscow";

    // The PBX's date display setting, which cdr/search "time" and start_time/end_time follow (A11.2):
    // "MM/DD/YYYY" (default), "DD/MM/YYYY" or "YYYY/MM/DD".
    public string DateFormat { get; set; } = "MM/DD/YYYY";

    // The PBX's time display setting: a 12-hour clock with AM/PM instead of 24 hours.
    public bool TwelveHourClock { get; set; }

    // Whether cdr/search rows carry the Unix "timestamp" (A11.1); older firmware leaves it out.
    public bool CdrRowsHaveTimestamp { get; set; } = true;

    // Extension numbers that exist on the PBX.
    public IReadOnlyList<string> Extensions { get; set; } = ["1001", "1002", "1003", "1004", "1005"];

    // Call queues (none by default); their agents must be among Extensions.
    public IReadOnlyList<PbxQueueOptions> Queues { get; set; } = [];

    // Name of the SIP trunk carrying external calls.
    public string TrunkName { get; set; } = "siptrunk";

    // Seed of the background traffic random generator; null = random.
    public int? Seed { get; set; }

    // Mean background calls per simulated minute; 0 disables background traffic.
    public double CallsPerMinute { get; set; }

    // Share (0..1) of answered calls the PBX records, drawn with the seeded random when the call starts. An unanswered
    // call has no recording (nothing was said), so its CDR names none even when the draw or record: true says yes.
    public double RecordingShare { get; set; }

    // How long a P-Series download_resource_url stays valid (A11.4: 30 minutes); simulated time.
    public TimeSpan RecordingUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);

    // "p-series" (Open API + WebSocket, default) or "s-series" (API v2.0.0 under /api/v2.0.0/ with HTTP event push).
    // In s-series mode ClientId/ClientSecret are the API username/password (login sends MD5 of the password).
    public string Kind { get; set; } = "p-series";

    // S-Series token validity after the last request (B2: 30 min, extended by heartbeat); simulated time.
    public TimeSpan SSeriesTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    // S-Series IP lock after MaxLoginFailures failed logins (B2: 10 min); simulated time.
    public TimeSpan SSeriesLockoutDuration { get; set; } = TimeSpan.FromMinutes(10);

    // S-Series event POST attempts per event and client until one is answered 200 (Part C.10: resend until 200, bounded).
    public int SSeriesEventMaxAttempts { get; set; } = 10;

    // Real-time pause between S-Series event resends.
    public TimeSpan SSeriesEventRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    // Validity of a cdr/get_random or recording/get_random random (B6: 30 s, single use, for both); real time, as it
    // bounds the client's follow-up request.
    public TimeSpan SSeriesRandomLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsSSeries => string.Equals(Kind, "s-series", StringComparison.OrdinalIgnoreCase);
}
