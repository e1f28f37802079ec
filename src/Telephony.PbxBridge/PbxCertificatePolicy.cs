using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Authentication;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge;

/// <summary>
/// Which TLS certificate the bridge accepts from the PBX, for every connection to it (Open API, WebSocket, S-Series
/// API, recording downloads). An on-premises PBX ships with a self-signed certificate: with YEASTAR_TLS_FINGERPRINT
/// the bridge trusts exactly that certificate (whatever its chain or name say) and nothing else; without it only a
/// certificate the system trusts for the host. A refused certificate is remembered so the link status can say which
/// one the PBX presented: the operator compares it with the PBX's web portal and pins it.
/// </summary>
internal sealed class PbxCertificatePolicy(IOptions<PbxBridgeOptions> options)
{
    private readonly byte[]? _pinned = options.Value.GetTlsFingerprint();
    private volatile RefusedCertificate? _lastRefused;

    /// <summary>For <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _lastRefused = new RefusedCertificate(null, errors);
            return false;
        }

        var presented = certificate.GetCertHash(HashAlgorithmName.SHA256);
        var accepted = _pinned is null ? errors == SslPolicyErrors.None : CryptographicOperations.FixedTimeEquals(presented, _pinned);
        if (!accepted)
        {
            _lastRefused = new RefusedCertificate(presented, errors);
        }

        return accepted;
    }

    /// <summary>The SocketsHttpHandler every client of the PBX is built on.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Words an operator can act on when <paramref name="exception"/> is a refused PBX certificate; else null.</summary>
    public string? Explain(Exception exception)
    {
        if (!IsTlsRefusal(exception) || _lastRefused is not { } refused)
        {
            return null;
        }

        if (refused.Fingerprint is null)
        {
            return "The PBX presented no TLS certificate.";
        }

        var fingerprint = FormatFingerprint(refused.Fingerprint);
        return _pinned is not null
            ? $"The PBX's TLS certificate is not the pinned one: it presented SHA-256 fingerprint {fingerprint}, YEASTAR_TLS_FINGERPRINT is {FormatFingerprint(_pinned)}. If the PBX's certificate was replaced, compare the new one on its web portal and pin it."
            : $"The PBX's TLS certificate is not trusted ({Describe(refused.Errors)}). It presented SHA-256 fingerprint {fingerprint}: compare it with the certificate on the PBX's web portal and, if they match, set YEASTAR_TLS_FINGERPRINT to it.";
    }

    public static string FormatFingerprint(ReadOnlySpan<byte> fingerprint) => string.Join(':', Convert.ToHexString(fingerprint).Chunk(2).Select(c => new string(c)));

    private static bool IsTlsRefusal(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException || e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.Add("self-signed or not issued by an authority this machine trusts");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add("issued for another host name");
        }

        return reasons.Count > 0 ? string.Join("; ", reasons) : errors.ToString();
    }

    private sealed record RefusedCertificate(byte[]? Fingerprint, SslPolicyErrors Errors);
}
