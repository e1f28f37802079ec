using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Telephony.Api.Fleet;
using Telephony.Core.Secrets;

namespace Telephony.Api.Hosting;

/// <summary>
/// Seals each data-protection key with <c>TELEPHONY_SECRETS_KEY</c> before it is stored in PostgreSQL
/// (<see cref="PostgresKeyRing"/>), as the PBX client secrets are: a reader of the database gets no key to mint hub
/// tokens with. A key sealed under the previous secrets key still opens while <c>TELEPHONY_SECRETS_KEY_PREVIOUS</c> is set.
/// </summary>
internal sealed class SecretsKeyXmlEncryptor(SecretCipher cipher) : IXmlEncryptor
{
    public const string Context = "data-protection-key";
    public const string ElementName = "sealedWithSecretsKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedValue = cipher.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting), Context);
        return new EncryptedXmlInfo(new XElement(ElementName, Convert.ToBase64String(sealedValue)), typeof(SecretsKeyXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="SecretsKeyXmlEncryptor"/> sealed; the key manager creates it by type, with the services.</summary>
internal sealed class SecretsKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var cipher = services.GetRequiredService<PbxSecrets>().Cipher
            ?? throw new CryptographicException("A data-protection key in the database is sealed with TELEPHONY_SECRETS_KEY, which is not set on this replica.");
        var clear = cipher.TryOpen(Convert.FromBase64String(encryptedElement.Value), SecretsKeyXmlEncryptor.Context)
            ?? throw new CryptographicException("A data-protection key in the database was sealed with a secrets key that neither TELEPHONY_SECRETS_KEY nor TELEPHONY_SECRETS_KEY_PREVIOUS is; a new key is made and older hub tokens stop working.");
        return XElement.Parse(clear);
    }
}
