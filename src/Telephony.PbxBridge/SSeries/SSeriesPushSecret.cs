using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// The per-process secret in the event URL the bridge gives the PBX at login and heartbeat (api.md B2 <c>url</c>), so
/// only whoever learnt that URL can push. B3 documents HTTP POST only — the PBX has no HTTPS option for its pushes — so
/// the secret crosses the LAN in clear: it stops devices that cannot see the PBX's traffic, the source check the rest.
/// Never logged: log <see cref="SSeriesEventTarget"/>'s redacted form instead.
/// </summary>
internal sealed class SSeriesPushSecret
{
    /// <summary>256 random bits; base64url (43 characters) is safe in a URL path.</summary>
    private const int SecretBytes = 32;

    private readonly byte[] _utf8;

    public SSeriesPushSecret()
        : this(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes)))
    {
    }

    internal SSeriesPushSecret(string value)
    {
        Value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>Constant time, so response timing does not reveal how much of a guess was right.</summary>
    public bool Matches(string candidate) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _utf8);
}
