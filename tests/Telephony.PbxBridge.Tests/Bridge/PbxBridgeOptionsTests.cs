using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class PbxBridgeOptionsTests
{
    [Theory]
    [InlineData("pbx.example.com", 8088, "https://pbx.example.com:8088/")]
    [InlineData("http://127.0.0.1:5000", 8088, "http://127.0.0.1:5000/")]
    [InlineData("http://10.0.0.5:80", 8088, "http://10.0.0.5/")]
    [InlineData("https://pbx.example.com", 9443, "https://pbx.example.com:9443/")]
    [InlineData("192.168.5.150", 8088, "https://192.168.5.150:8088/")]
    public void Yeastar_base_url_assumes_https_and_applies_the_port_only_when_the_host_names_none(string host, int port, string expected)
    {
        var options = new PbxBridgeOptions { YeastarHost = host, YeastarPort = port };

        Assert.Equal(new Uri(expected), options.GetYeastarBaseUri());
    }

    [Fact]
    public void Subscribe_url_switches_to_websocket_scheme_and_carries_the_token()
    {
        var uri = PSeriesSession.SubscribeUri(new Uri("https://192.168.5.150:8088/"), "abc");

        Assert.Equal("wss://192.168.5.150:8088/openapi/v1.0/subscribe?access_token=abc", uri.ToString());
    }

    [Fact]
    public void Default_topics_are_the_documented_list()
    {
        Assert.Equal(
            [30007, 30008, 30009, 30011, 30012, 30013, 30014, 30015, 30019, 30022],
            new PbxBridgeOptions().GetTopicList());
    }

    [Fact]
    public async Task Missing_settings_stop_start_up_with_a_message_naming_the_variable()
    {
        await using var app = PbxBridgeApp.Build([], new Dictionary<string, string?>
        {
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["YEASTAR_HOST"] = "",
            ["YEASTAR_USERNAME"] = "",
            ["YEASTAR_PASSWORD"] = "",
            ["TELEPHONY_API_URL"] = "",
            ["TELEPHONY_BRIDGE_KEY"] = "",
        });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("YEASTAR_HOST", error.Message, StringComparison.Ordinal);
        Assert.Contains("TELEPHONY_BRIDGE_KEY", error.Message, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void Tls_fingerprint_is_read_with_or_without_colons(string fingerprint)
    {
        var options = new PbxBridgeOptions { YeastarTlsFingerprint = fingerprint };

        Assert.Equal(Convert.FromHexString("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"), options.GetTlsFingerprint());
    }

    [Theory]
    [InlineData("AB:CD:EF")]
    [InlineData("sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("zzcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public async Task A_tls_fingerprint_that_is_not_a_sha256_stops_start_up_with_a_clear_message(string fingerprint)
    {
        await using var app = PbxBridgeApp.Build([], new Dictionary<string, string?>
        {
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["YEASTAR_HOST"] = "pbx.example.com",
            ["YEASTAR_USERNAME"] = "client",
            ["YEASTAR_PASSWORD"] = "secret",
            ["TELEPHONY_API_URL"] = "http://127.0.0.1:1",
            ["TELEPHONY_BRIDGE_KEY"] = "key",
            ["YEASTAR_TLS_FINGERPRINT"] = fingerprint,
        });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("YEASTAR_TLS_FINGERPRINT must be the SHA-256 fingerprint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_push_allow_list_stops_start_up_naming_the_setting_and_the_entry()
    {
        await using var app = PbxBridgeApp.Build([], new Dictionary<string, string?>
        {
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["YEASTAR_API_VERSION"] = "v2.0.0",
            ["YEASTAR_HOST"] = "http://127.0.0.1:9",
            ["YEASTAR_USERNAME"] = "api",
            ["YEASTAR_PASSWORD"] = "api-password",
            ["TELEPHONY_API_URL"] = "http://127.0.0.1:9",
            ["TELEPHONY_BRIDGE_KEY"] = "key",
            ["BRIDGE_DATA_DIR"] = BridgeUnderTest.NewDataDir(),
            ["YEASTAR_PUSH_ALLOWED_IPS"] = "10.0.0.5, 192.168.1.10/24",
        });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("YEASTAR_PUSH_ALLOWED_IPS", error.Message, StringComparison.Ordinal);
        Assert.Contains("'192.168.1.10/24'", error.Message, StringComparison.Ordinal);
    }
}
