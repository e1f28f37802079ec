using Telephony.Core.Secrets;

namespace Telephony.Api.Fleet;

/// <summary>
/// The PBX client secrets' cipher, bound to each PBX; <see cref="CanSeal"/> is false when the server has no
/// <c>TELEPHONY_SECRETS_KEY</c>, so nothing can be stored (or opened).
/// </summary>
internal sealed class PbxSecrets(SecretCipher? cipher)
{
    public bool CanSeal => cipher is not null;

    public SecretCipher? Cipher => cipher;

    public byte[] Seal(string tenantId, string pbxId, string secret) =>
        (cipher ?? throw new InvalidOperationException("No secrets key is configured.")).Seal(secret, SecretCipher.PbxContext(tenantId, pbxId));

    /// <summary>The clear secret; null when no configured key opens it.</summary>
    public string? TryOpen(string tenantId, string pbxId, byte[] sealedValue) => cipher?.TryOpen(sealedValue, SecretCipher.PbxContext(tenantId, pbxId));
}
