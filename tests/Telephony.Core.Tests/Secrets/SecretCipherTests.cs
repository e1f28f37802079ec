using System.Security.Cryptography;
using System.Text;
using Telephony.Core.Secrets;

namespace Telephony.Core.Tests.Secrets;

public sealed class SecretCipherTests
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_sealed_secret_opens_with_its_key_and_context_and_holds_no_clear_text()
    {
        var cipher = new SecretCipher(NewKey);
        var sealedValue = cipher.Seal("s3cret-value", "ctx-a");

        Assert.Equal("s3cret-value", cipher.TryOpen(sealedValue, "ctx-a"));
        Assert.Equal(-1, Convert.ToHexString(sealedValue).IndexOf(Convert.ToHexString(Encoding.UTF8.GetBytes("s3cret-value")), StringComparison.Ordinal));
        Assert.Equal(cipher.CurrentKeyId, SecretCipher.KeyIdOf(sealedValue.AsSpan()));
        Assert.NotEqual(sealedValue, cipher.Seal("s3cret-value", "ctx-a"));
    }

    [Fact]
    public void A_secret_moved_to_another_row_or_tampered_with_does_not_open()
    {
        var cipher = new SecretCipher(NewKey);
        var sealedValue = cipher.Seal("s3cret-value", "ctx-a");

        Assert.Null(cipher.TryOpen(sealedValue, "ctx-b"));
        sealedValue[^1] ^= 1;
        Assert.Null(cipher.TryOpen(sealedValue, "ctx-a"));
    }

    [Fact]
    public void After_a_rotation_the_previous_key_still_opens_what_it_sealed_and_an_unknown_key_opens_nothing()
    {
        var sealedBefore = new SecretCipher(OldKey).Seal("before-rotation", "ctx");
        var rotated = new SecretCipher(NewKey, previousKey: OldKey);

        Assert.Equal("before-rotation", rotated.TryOpen(sealedBefore, "ctx"));
        Assert.Equal(SecretCipher.KeyIdOf(NewKey), SecretCipher.KeyIdOf(rotated.Seal("after", "ctx").AsSpan()));
        Assert.Null(new SecretCipher(NewKey).TryOpen(sealedBefore, "ctx"));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")]
    public void A_malformed_key_stops_start_up_naming_the_variable_not_the_value(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SecretCipher.FromConfiguration(value, null));
        Assert.Contains("TELEPHONY_SECRETS_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_key_means_no_cipher_and_a_previous_key_alone_is_refused()
    {
        Assert.Null(SecretCipher.FromConfiguration(null, null));
        Assert.Throws<InvalidOperationException>(() => SecretCipher.FromConfiguration(null, Convert.ToBase64String(OldKey)));
        Assert.NotNull(SecretCipher.FromConfiguration(Convert.ToBase64String(NewKey), Convert.ToBase64String(OldKey)));
    }
}
