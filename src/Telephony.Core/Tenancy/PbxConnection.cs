namespace Telephony.Core.Tenancy;

/// <summary>
/// A PBX's connection as a tenant admin stores it. <see cref="SealedClientSecret"/> is ciphertext (SecretCipher);
/// when <see cref="KeepClientSecret"/> is set the stored secret stays as it is and <see cref="SealedClientSecret"/> is ignored.
/// </summary>
public sealed class PbxConnection
{
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? ApiVersion { get; init; }
    public string? ClientId { get; init; }
    public string? TlsFingerprint { get; init; }
    public byte[]? SealedClientSecret { get; init; }
    public bool KeepClientSecret { get; init; }
}
