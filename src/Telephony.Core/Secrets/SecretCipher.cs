using System.Security.Cryptography;
using System.Text;

namespace Telephony.Core.Secrets;

/// <summary>
/// Encrypts stored secrets (a PBX's API client secret) with AES-256-GCM. The stored form is
/// <c>version (1) | key id (8) | nonce (12) | tag (16) | ciphertext</c>; the key id is the first 8 bytes of SHA-256
/// of the key, so a value names the key that sealed it and a rotated-out key still opens what it sealed. The
/// associated data binds a value to its row: ciphertext copied to another PBX does not decrypt.
/// </summary>
public sealed class SecretCipher
{
    private const byte FormatVersion = 1;
    private const int KeyIdSize = 8;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    private readonly byte[] _currentKey;
    private readonly Dictionary<string, byte[]> _keysById = new(StringComparer.Ordinal);

    /// <param name="currentKey">32 bytes: seals new values and opens them.</param>
    /// <param name="previousKey">32 bytes or null: only opens values sealed before a rotation.</param>
    public SecretCipher(byte[] currentKey, byte[]? previousKey = null)
    {
        _currentKey = currentKey;
        CurrentKeyId = KeyIdOf(currentKey);
        _keysById[CurrentKeyId] = currentKey;
        if (previousKey is not null)
        {
            _keysById.TryAdd(KeyIdOf(previousKey), previousKey);
        }
    }

    /// <summary>Hex id of the key new values are sealed with.</summary>
    public string CurrentKeyId { get; }

    /// <summary>
    /// Reads <c>TELEPHONY_SECRETS_KEY</c> and <c>TELEPHONY_SECRETS_KEY_PREVIOUS</c> (base64 of 32 bytes each); null when
    /// no key is set. A malformed value throws with a message naming the variable, never echoing its value.
    /// </summary>
    public static SecretCipher? FromConfiguration(string? currentKey, string? previousKey)
    {
        if (string.IsNullOrWhiteSpace(currentKey))
        {
            return string.IsNullOrWhiteSpace(previousKey)
                ? null
                : throw new InvalidOperationException("TELEPHONY_SECRETS_KEY_PREVIOUS is set but TELEPHONY_SECRETS_KEY is not: set the new key too (see the README on rotation).");
        }

        return new SecretCipher(
            ParseKey("TELEPHONY_SECRETS_KEY", currentKey),
            string.IsNullOrWhiteSpace(previousKey) ? null : ParseKey("TELEPHONY_SECRETS_KEY_PREVIOUS", previousKey));
    }

    public static string KeyIdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, KeyIdSize));

    /// <summary>Hex id of the key a stored value was sealed with; null when the value is not in this format.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> sealedValue) =>
        sealedValue.Length >= HeaderSize && sealedValue[0] == FormatVersion ? Convert.ToHexStringLower(sealedValue.Slice(1, KeyIdSize)) : null;

    public byte[] Seal(string secret, string context)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedValue = new byte[HeaderSize + plain.Length];
        sealedValue[0] = FormatVersion;
        Convert.FromHexString(CurrentKeyId).CopyTo(sealedValue, 1);
        var nonce = sealedValue.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_currentKey, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return sealedValue;
    }

    /// <summary>The clear secret, or null when no configured key sealed it or the value was tampered with (or moved to another row).</summary>
    public string? TryOpen(byte[] sealedValue, string context)
    {
        if (KeyIdOf(sealedValue.AsSpan()) is not { } keyId || !_keysById.TryGetValue(keyId, out var key))
        {
            return null;
        }

        var plain = new byte[sealedValue.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                sealedValue.AsSpan(1 + KeyIdSize, NonceSize),
                sealedValue.AsSpan(HeaderSize),
                sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize),
                plain,
                Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>What a PBX's client secret is bound to: its tenant and id.</summary>
    public static string PbxContext(string tenantId, string pbxId) => $"pbx-client-secret\n{tenantId}\n{pbxId}";

    private static byte[] ParseKey(string name, string value)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(value.Trim(), bytes, out var written) && written == 32
            ? bytes
            : throw new InvalidOperationException($"{name} must be the base64 of exactly 32 random bytes (for example: openssl rand -base64 32).");
    }
}
