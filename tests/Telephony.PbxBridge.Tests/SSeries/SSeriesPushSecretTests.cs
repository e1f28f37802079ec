using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class SSeriesPushSecretTests
{
    [Fact]
    public void Each_bridge_process_makes_its_own_url_safe_256_bit_secret()
    {
        var first = new SSeriesPushSecret();
        var second = new SSeriesPushSecret();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.Value);
        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(first.Value, Uri.EscapeDataString(first.Value));
    }

    [Fact]
    public void Only_the_exact_secret_matches()
    {
        var secret = new SSeriesPushSecret("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE");

        Assert.True(secret.Matches("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"));
        Assert.False(secret.Matches("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDF"));
        Assert.False(secret.Matches("abcdefghijklmnopqrstuvwxyz0123456789-_ABCD"));
        Assert.False(secret.Matches("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ABCDE"));
        Assert.False(secret.Matches(""));
    }

    [Fact]
    public void The_event_target_sends_the_secret_to_the_pbx_but_prints_without_it()
    {
        var secret = new SSeriesPushSecret();
        var target = new SSeriesEventTarget(new Uri("http://10.0.0.7:3009/yeastar/events"), secret);

        Assert.Equal($"10.0.0.7:3009/yeastar/events/{secret.Value}", target.UrlWithoutScheme);
        Assert.Equal(("10.0.0.7", "3009"), (target.Host, target.Port));
        Assert.DoesNotContain(secret.Value, target.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("http://10.0.0.7:3009/yeastar/events/", target.ToString(), StringComparison.Ordinal);
    }
}
