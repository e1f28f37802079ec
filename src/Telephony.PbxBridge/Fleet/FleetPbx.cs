using System.Security.Cryptography;
using System.Text;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// One PBX of <c>GET /api/fleet/pbxes</c>: its connection, clear client secret, time zone and current lease. A class,
/// not a record, so that no generated ToString can print the secret.
/// </summary>
internal sealed class FleetPbx
{
    public string TenantId { get; init; } = "";

    public string PbxId { get; init; } = "";

    /// <summary>p-series or s-series.</summary>
    public string Kind { get; init; } = "";

    /// <summary>A host name or address, no scheme or port: HTTPS is assumed (the API refuses anything else).</summary>
    public string Host { get; init; } = "";

    public int? Port { get; init; }

    public string? ApiVersion { get; init; }

    public string? ClientId { get; init; }

    /// <summary>Never logged; null when none is stored or the API cannot open it (see <see cref="Problem"/>).</summary>
    public string? ClientSecret { get; init; }

    public string? TlsFingerprint { get; init; }

    public string TimeZone { get; init; } = "UTC";

    public FleetLeaseState? Lease { get; init; }

    /// <summary>Why the API says this PBX cannot be served as it is; null when it can.</summary>
    public string? Problem { get; init; }

    public FleetPbxKey Key => new(TenantId, PbxId);

    public bool IsSSeries => PbxBridgeOptions.IsSSeriesVersion(ApiVersion)
        || (ApiVersion is null && string.Equals(Kind, "s-series", StringComparison.Ordinal));

    /// <summary>
    /// Changes whenever anything a unit was built from changes (host, port, kind, credentials, pin, time zone), so the
    /// supervisor restarts the unit with the new settings. A hash: the supervisor keeps no second copy of the secret to compare with.
    /// </summary>
    public string ConnectionVersion()
    {
        var fields = string.Join('\n', Kind, Host, Port?.ToString(System.Globalization.CultureInfo.InvariantCulture), ApiVersion, ClientId, ClientSecret, TlsFingerprint, TimeZone);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fields)));
    }
}
