using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Telephony.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>A PBX serving HTTPS and WSS with a self-signed certificate, as a factory-fresh on-premises PBX does.</summary>
public sealed class PbxCertificateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pinned_self_signed_certificate_is_trusted_and_calls_flow()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = SelfSignedCertificate.Create("yeastar-p550");
        await using var pbx = await StartPbxAsync(certificate);
        await using var api = await FakeTelephonyApi.StartAsync();

        // Lower case, no colons: the form `openssl x509 -fingerprint -sha256` prints, minus its colons, also works.
        var pin = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, new Dictionary<string, string?> { ["YEASTAR_TLS_FINGERPRINT"] = pin });

        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription over WSS", bridge.Logs.AllText);
        var callId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromMilliseconds(300), talkFor: TimeSpan.FromMilliseconds(300));
        await pbx.WhenCallCompletedAsync(callId, ct);
        await Eventually.UntilAsync(() => PbxConnectionTests.HasCdr(api, callId), Timeout, "the call's CDR", bridge.Logs.AllText);

        Assert.Equal(Uri.UriSchemeHttps, pbx.BaseUrl.Scheme);
        Assert.True(api.Links[^1].Connected);
    }

    [Fact]
    public async Task An_unpinned_self_signed_certificate_is_refused_and_the_link_status_names_its_fingerprint()
    {
        using var certificate = SelfSignedCertificate.Create("yeastar-p550");
        await using var pbx = await StartPbxAsync(certificate);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        var fingerprint = PbxCertificatePolicy.FormatFingerprint(certificate.GetCertHash(HashAlgorithmName.SHA256));
        await Eventually.UntilAsync(() => api.Links.Any(l => !l.Connected && l.Reason?.Contains(fingerprint, StringComparison.Ordinal) == true), Timeout, "a refusal naming the fingerprint", bridge.Logs.AllText);

        var reason = api.Links.First(l => l.Reason?.Contains(fingerprint, StringComparison.Ordinal) == true).Reason!;
        Assert.Contains("not trusted", reason, StringComparison.Ordinal);
        Assert.Contains("YEASTAR_TLS_FINGERPRINT", reason, StringComparison.Ordinal);

        // Refused before the login: the client secret never went to a PBX the bridge could not authenticate.
        Assert.Equal(0, pbx.ValidAccessTokenCount);
        Assert.Empty(api.Frames);
        Assert.DoesNotContain(api.Links, l => l.Connected);
    }

    [Fact]
    public async Task A_certificate_other_than_the_pinned_one_is_refused()
    {
        using var certificate = SelfSignedCertificate.Create("yeastar-p550");
        using var expected = SelfSignedCertificate.Create("yeastar-p550");
        await using var pbx = await StartPbxAsync(certificate);
        await using var api = await FakeTelephonyApi.StartAsync();
        var pin = PbxCertificatePolicy.FormatFingerprint(expected.GetCertHash(HashAlgorithmName.SHA256));
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, new Dictionary<string, string?> { ["YEASTAR_TLS_FINGERPRINT"] = pin });

        var presented = PbxCertificatePolicy.FormatFingerprint(certificate.GetCertHash(HashAlgorithmName.SHA256));
        await Eventually.UntilAsync(() => api.Links.Any(l => !l.Connected && l.Reason?.Contains(presented, StringComparison.Ordinal) == true), Timeout, "a refusal naming the presented fingerprint", bridge.Logs.AllText);

        Assert.Contains("not the pinned one", api.Links.First(l => !l.Connected && l.Reason is not null && l.Reason.Contains(presented, StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Equal(0, pbx.ValidAccessTokenCount);
        Assert.Empty(api.Frames);
    }

    [Fact]
    public async Task An_s_series_pbx_is_trusted_only_when_its_certificate_is_pinned()
    {
        using var certificate = SelfSignedCertificate.Create("yeastar-s100");
        var fingerprint = PbxCertificatePolicy.FormatFingerprint(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var options = SSeries.SSeriesSimulatorTests.SOptions(timeScale: 10);
        options.ClientId = BridgeUnderTest.ClientId;
        options.ClientSecret = BridgeUnderTest.ClientSecret;
        options.TlsCertificate = certificate;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        var sSeries = new Dictionary<string, string?> { ["YEASTAR_API_VERSION"] = "v2.0.0", ["YEASTAR_TIMEZONE"] = options.TimeZone };

        await using (var api = await FakeTelephonyApi.StartAsync())
        await using (var unpinned = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, sSeries))
        {
            await Eventually.UntilAsync(() => api.Links.Any(l => !l.Connected && l.Reason?.Contains(fingerprint, StringComparison.Ordinal) == true), Timeout, "a refusal naming the fingerprint", unpinned.Logs.AllText);
            Assert.Equal(0, pbx.ValidAccessTokenCount);
        }

        await using var pinnedApi = await FakeTelephonyApi.StartAsync();
        await using var pinned = await BridgeUnderTest.StartAsync(pbx.BaseUrl, pinnedApi, new Dictionary<string, string?>(sSeries) { ["YEASTAR_TLS_FINGERPRINT"] = fingerprint });
        await Eventually.UntilAsync(() => pinnedApi.Links.Any(l => l.Connected), Timeout, "the S-Series link over HTTPS", pinned.Logs.AllText);
        Assert.Equal(1, pbx.ValidAccessTokenCount);
    }

    private static Task<PbxSimulator.PbxSimulator> StartPbxAsync(X509Certificate2 certificate)
    {
        var options = PbxConnectionTests.SimulatorOptions(timeScale: 1);
        options.TlsCertificate = certificate;
        return PbxSimulator.PbxSimulator.StartAsync(options, TestContext.Current.CancellationToken);
    }
}
