using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telephony.PbxSimulator;

/// <summary>What a factory-fresh PBX serves HTTPS with: a certificate issued by itself for its own name (no chain, no match for 127.0.0.1).</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // Kestrel needs the private key in a form SslStream can use on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The SHA-256 fingerprint as the admin API stores it (upper-case hex, no colons).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
