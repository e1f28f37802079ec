using System.ComponentModel.DataAnnotations;

namespace Telephony.PbxBridge;

/// <summary>Bridge settings; <see cref="PbxBridgeApp"/> maps the documented environment variables onto this section.</summary>
internal sealed class PbxBridgeOptions : IValidatableObject
{
    public const string SectionName = "PbxBridge";

    /// <summary>YEASTAR_HOST: a host name (HTTPS assumed) or a URL with its scheme.</summary>
    [Required(ErrorMessage = "YEASTAR_HOST is required: the PBX host name or URL, e.g. pbx.example.com or http://10.0.0.5:80.")]
    public string YeastarHost { get; set; } = "";

    /// <summary>YEASTAR_PORT: used when <see cref="YeastarHost"/> names no port (A1: HTTPS default 8088).</summary>
    [Range(1, 65535, ErrorMessage = "YEASTAR_PORT must be between 1 and 65535.")]
    public int YeastarPort { get; set; } = 8088;

    /// <summary>YEASTAR_USERNAME: the Client ID from Integrations &gt; API.</summary>
    [Required(ErrorMessage = "YEASTAR_USERNAME (the Client ID from the PBX's Integrations > API page) is required.")]
    public string YeastarUsername { get; set; } = "";

    /// <summary>YEASTAR_PASSWORD: the Client Secret; never logged.</summary>
    [Required(ErrorMessage = "YEASTAR_PASSWORD (the Client Secret from the PBX's Integrations > API page) is required.")]
    public string YeastarPassword { get; set; } = "";

    /// <summary>YEASTAR_HEARTBEAT_INTERVAL in seconds; the PBX drops a socket after 60 s without a client frame (A5).</summary>
    [Range(1, 55, ErrorMessage = "YEASTAR_HEARTBEAT_INTERVAL must be 1-55 seconds (the PBX drops idle sockets after 60 s).")]
    public int YeastarHeartbeatInterval { get; set; } = 30;

    /// <summary>YEASTAR_TOPICS: comma-separated event IDs to subscribe to.</summary>
    [Required]
    [RegularExpression(@"^\s*\d+\s*(,\s*\d+\s*)*$", ErrorMessage = "YEASTAR_TOPICS must be a comma-separated list of event IDs, e.g. 30011,30012.")]
    public string YeastarTopics { get; set; } = "30007,30008,30009,30011,30012,30013,30014,30015,30019,30022";

    /// <summary>YEASTAR_AUTH_RETRY_SECONDS: wait after a refused login; 5 failed logins get the bridge's IP blocked (A4).</summary>
    [Range(1, 86400, ErrorMessage = "YEASTAR_AUTH_RETRY_SECONDS must be between 1 and 86400.")]
    public int YeastarAuthRetrySeconds { get; set; } = 300;

    /// <summary>
    /// YEASTAR_CDR_SWEEP_SECONDS (S-Series): how often the bridge asks for the CDRs since the last one it saw, even with
    /// no gap in sight. S-Series pushes events over HTTP with no sequence number and gives up after its resends, so a
    /// short outage between the heartbeats leaves no trace at the bridge; the sweep bounds how late such a call appears.
    /// </summary>
    [Range(5, 86400, ErrorMessage = "YEASTAR_CDR_SWEEP_SECONDS must be between 5 and 86400.")]
    public int YeastarCdrSweepSeconds { get; set; } = 300;

    /// <summary>BRIDGE_RECORDING_POLL_SECONDS: how often the bridge asks the API which recordings to archive (15).</summary>
    [Range(1, 3600, ErrorMessage = "BRIDGE_RECORDING_POLL_SECONDS must be between 1 and 3600.")]
    public int RecordingPollSeconds { get; set; } = 15;

    /// <summary>TELEPHONY_API_URL: base URL of Telephony.Api.</summary>
    [Required(ErrorMessage = "TELEPHONY_API_URL is required, e.g. https://telephony.example.com.")]
    public string TelephonyApiUrl { get; set; } = "";

    /// <summary>TELEPHONY_BRIDGE_KEY: the API key with the bridge role; never logged.</summary>
    [Required(ErrorMessage = "TELEPHONY_BRIDGE_KEY (an API key with the bridge role) is required.")]
    public string TelephonyBridgeKey { get; set; } = "";

    /// <summary>TELEPHONY_PBX_ID: which PBX of the tenant this bridge serves.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "TELEPHONY_PBX_ID must be 1-64 letters, digits, '-', '_' or '.'.")]
    public string TelephonyPbxId { get; set; } = "main";

    /// <summary>BRIDGE_ID: names this bridge process in the API's link status.</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string BridgeId { get; set; } = Environment.MachineName;

    /// <summary>YEASTAR_TIMEZONE: IANA zone of the PBX wall clock (CDR times are PBX-local with no zone, A8.2).</summary>
    [Required]
    public string YeastarTimezone { get; set; } = "UTC";

    /// <summary>BRIDGE_DATA_DIR: where the bridge keeps small state files; default .data/bridge/{pbxId} under the current directory.</summary>
    public string? DataDir { get; set; }

    /// <summary>BRIDGE_SPOOL_MAX_BYTES: disk the frame spool may use while the API is behind; when full the PBX reader waits.</summary>
    [Range(1_048_576, long.MaxValue, ErrorMessage = "BRIDGE_SPOOL_MAX_BYTES must be at least 1048576 (1 MB).")]
    public long SpoolMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>YEASTAR_API_VERSION: "v1.0" = P-Series Open API (default), "v2.0.0" = S-Series API v2.0.0 (api.md Part B).</summary>
    [Required]
    [RegularExpression(@"^\s*(v1\.0|v2\.0\.0)\s*$", ErrorMessage = "YEASTAR_API_VERSION must be v1.0 (P-Series) or v2.0.0 (S-Series).")]
    public string YeastarApiVersion { get; set; } = "v1.0";

    /// <summary>BRIDGE_PUBLIC_URL (S-Series): how the PBX reaches this bridge, e.g. http://10.0.0.7:3009; events arrive at /yeastar/events/{push secret}.</summary>
    public string? BridgePublicUrl { get; set; }

    /// <summary>
    /// YEASTAR_TLS_FINGERPRINT: the SHA-256 fingerprint of the PBX's own certificate (hex, colons optional), for a PBX
    /// with its factory self-signed certificate; the bridge then trusts that certificate and only it.
    /// </summary>
    [RegularExpression(@"^\s*([0-9A-Fa-f]{2}[:\s]?){31}[0-9A-Fa-f]{2}\s*$", ErrorMessage = "YEASTAR_TLS_FINGERPRINT must be the SHA-256 fingerprint of the PBX's certificate: 64 hex digits, colons allowed (AB:CD:…).")]
    public string? YeastarTlsFingerprint { get; set; }

    /// <summary>
    /// YEASTAR_PUSH_ALLOWED_IPS (S-Series): comma-separated IP addresses and CIDR ranges that may push events besides the
    /// addresses YEASTAR_HOST resolves to, e.g. a PBX whose pushes come from another interface or through NAT.
    /// </summary>
    public string? YeastarPushAllowedIps { get; set; }

    /// <summary>
    /// Fleet mode only, set per PBX (no environment variable): how much further past our clock the first backfill window
    /// of a link reaches. A fleet unit's first backfill is a takeover's, with a real gap behind it and nothing yet to show
    /// how far the PBX's clock runs ahead of ours; a single-PBX bridge keeps the usual allowance (zero here).
    /// </summary>
    internal TimeSpan FirstBackfillLookAhead { get; set; }

    public static bool IsSSeriesVersion(string? version) => string.Equals(version?.Trim(), "v2.0.0", StringComparison.Ordinal);

    public int[] GetTopicList() =>
        [.. YeastarTopics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The PBX base URL: https is assumed for a bare host, and YEASTAR_PORT applies only when the host names no port.</summary>
    public Uri GetYeastarBaseUri()
    {
        var raw = YeastarHost.Trim();
        var hasScheme = raw.Contains("://", StringComparison.Ordinal);
        var builder = new UriBuilder(hasScheme ? raw : "https://" + raw);
        if (!HasExplicitPort(raw, hasScheme))
        {
            builder.Port = YeastarPort;
        }

        builder.Path = "/";
        return builder.Uri;
    }

    /// <summary>The pinned certificate's SHA-256, or null when none is pinned.</summary>
    public byte[]? GetTlsFingerprint() => string.IsNullOrWhiteSpace(YeastarTlsFingerprint)
        ? null
        : Convert.FromHexString(string.Concat(YeastarTlsFingerprint.Where(Uri.IsHexDigit)));

    /// <summary>YEASTAR_PUSH_ALLOWED_IPS parsed; <see cref="Validate"/> has refused a bad value at start.</summary>
    public SSeries.IpRangeList GetPushAllowList() =>
        SSeries.IpRangeList.TryParse(YeastarPushAllowedIps, out var list, out _)
            ? list
            : throw new InvalidOperationException("YEASTAR_PUSH_ALLOWED_IPS is not a valid list; the options validator should have stopped start-up.");

    public TimeZoneInfo GetPbxTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(YeastarTimezone.Trim());

    public string GetDataDirectory() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(DataDir) ? Path.Combine(".data", "bridge", TelephonyPbxId) : DataDir);

    public Uri GetTelephonyApiBaseUri()
    {
        var uri = new Uri(TelephonyApiUrl.Trim(), UriKind.Absolute);
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(YeastarHost) && !TryValidateUri(() => GetYeastarBaseUri()))
        {
            yield return new ValidationResult(
                "YEASTAR_HOST must be a host name or an http(s) URL such as http://10.0.0.5:80.", [nameof(YeastarHost)]);
        }

        if (!string.IsNullOrWhiteSpace(YeastarTimezone) && !IsKnownTimeZone(YeastarTimezone))
        {
            yield return new ValidationResult(
                "YEASTAR_TIMEZONE must be an IANA time zone such as Europe/Moscow or UTC.", [nameof(YeastarTimezone)]);
        }

        if (!string.IsNullOrWhiteSpace(BridgePublicUrl) && !TryValidateUri(() => new Uri(BridgePublicUrl.Trim(), UriKind.Absolute)))
        {
            yield return new ValidationResult(
                "BRIDGE_PUBLIC_URL must be an absolute http URL the PBX can reach, such as http://10.0.0.7:3009.", [nameof(BridgePublicUrl)]);
        }

        if (!SSeries.IpRangeList.TryParse(YeastarPushAllowedIps, out _, out var invalidEntry))
        {
            yield return new ValidationResult(
                $"YEASTAR_PUSH_ALLOWED_IPS must be comma-separated IP addresses and CIDR ranges, such as 10.0.0.5,192.168.1.0/24; "
                + $"'{invalidEntry}' is neither (IPv4 in dotted-quad form, a range with its host bits zero).",
                [nameof(YeastarPushAllowedIps)]);
        }

        if (!string.IsNullOrWhiteSpace(TelephonyApiUrl) && !TryValidateUri(() => GetTelephonyApiBaseUri()))
        {
            yield return new ValidationResult(
                "TELEPHONY_API_URL must be an absolute http(s) URL.", [nameof(TelephonyApiUrl)]);
        }
    }

    private static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out _);

    private static bool TryValidateUri(Func<Uri> build)
    {
        try
        {
            var uri = build();
            return uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    // Uri.IsDefaultPort cannot tell "http://pbx" from "http://pbx:80", and only the latter overrides YEASTAR_PORT.
    private static bool HasExplicitPort(string raw, bool hasScheme)
    {
        var authority = hasScheme ? raw[(raw.IndexOf("://", StringComparison.Ordinal) + 3)..] : raw;
        var end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }

        var bracket = authority.LastIndexOf(']');
        return authority.IndexOf(':', bracket + 1) >= 0;
    }
}
