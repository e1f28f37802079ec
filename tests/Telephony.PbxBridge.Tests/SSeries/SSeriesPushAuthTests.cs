using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.SSeries;
using Telephony.PbxBridge.Tests.Bridge;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.SSeries;

/// <summary>Issue 11 §2: only the PBX, pushing to the secret URL the bridge gave it at login, may post S-Series events.</summary>
public sealed class SSeriesPushAuthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Loopback = IPAddress.Parse("127.0.0.1");

    // No PBX listens here; the bridge's logins fail, which the pushes do not depend on.
    private const string OtherPbxHost = "http://127.0.0.2:9";

    [Fact]
    public async Task Pushes_without_the_secret_get_403_problems_counted_by_reason_and_never_reach_the_api()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SimulatorOptions(), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings());
        using var refusals = new PushRefusalCounter(bridge.App);
        await Eventually.UntilAsync(() => api.Links.Any(l => l.Connected), Timeout, "the link to be reported connected", bridge.Logs.AllText);
        using var fromPbx = SourceBoundClient.From(Loopback);
        var secret = Secret(bridge);
        var wrong = secret[..^4] + (secret.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var tokenless = await PushAsync(fromPbx, bridge, SSeriesEventListener.Path, out var tokenlessMarker);
        using var slash = await PushAsync(fromPbx, bridge, SSeriesEventListener.Path + "/", out var slashMarker);
        using var wrongToken = await PushAsync(fromPbx, bridge, $"{SSeriesEventListener.Path}/{wrong}", out var wrongMarker);
        using var accepted = await PushAsync(fromPbx, bridge, $"{SSeriesEventListener.Path}/{secret}", out var acceptedMarker);

        await AssertRefusedAsync(tokenless, "push token", secret);
        await AssertRefusedAsync(slash, "push token", secret);
        await AssertRefusedAsync(wrongToken, "push token", wrong);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal((2, 1, 0), (refusals["no_push_token"], refusals["wrong_push_token"], refusals["source_not_allowed"]));

        // The spool is first in, first out: once the accepted push is at the API, a refused one would be there too.
        await Eventually.UntilAsync(() => HasFrame(api, acceptedMarker), Timeout, "the accepted push at the API", bridge.Logs.AllText);
        Assert.DoesNotContain(api.Frames, f => f.RawFrame.Contains(tokenlessMarker, StringComparison.Ordinal)
            || f.RawFrame.Contains(slashMarker, StringComparison.Ordinal) || f.RawFrame.Contains(wrongMarker, StringComparison.Ordinal));

        // Logged with the source and the reason; the secret and the wrong guess appear nowhere, even at Trace level.
        Assert.Equal(2, bridge.Logs.Count("Refused an S-Series event push from 127.0.0.1: no push token"));
        Assert.Equal(1, bridge.Logs.Count("Refused an S-Series event push from 127.0.0.1: wrong push token"));
        Assert.DoesNotContain(secret, bridge.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, bridge.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_from_an_address_yeastar_host_does_not_resolve_to_is_refused_even_with_the_secret()
    {
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(new Uri(OtherPbxHost), api, Settings());
        using var refusals = new PushRefusalCounter(bridge.App);
        using var fromPbx = SourceBoundClient.From(IPAddress.Parse("127.0.0.2"));
        using var fromElsewhere = SourceBoundClient.From(Loopback);
        var path = $"{SSeriesEventListener.Path}/{Secret(bridge)}";

        using var forged = await PushAsync(fromElsewhere, bridge, path, out var forgedMarker);
        using var genuine = await PushAsync(fromPbx, bridge, path, out var genuineMarker);

        await AssertRefusedAsync(forged, "YEASTAR_PUSH_ALLOWED_IPS", Secret(bridge));
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal((1, 1), (refusals["source_not_allowed"], refusals.Total));
        await Eventually.UntilAsync(() => HasFrame(api, genuineMarker), Timeout, "the PBX's push at the API", bridge.Logs.AllText);
        Assert.False(HasFrame(api, forgedMarker));
        Assert.Equal(1, bridge.Logs.Count("Refused an S-Series event push from 127.0.0.1: source not allowed"));
    }

    [Fact]
    public async Task A_cidr_range_in_yeastar_push_allowed_ips_admits_its_addresses_and_no_others()
    {
        await using var api = await FakeTelephonyApi.StartAsync();
        var settings = Settings();
        settings["YEASTAR_PUSH_ALLOWED_IPS"] = "192.0.2.7, 127.0.0.0/31";
        await using var bridge = await BridgeUnderTest.StartAsync(new Uri(OtherPbxHost), api, settings);
        using var refusals = new PushRefusalCounter(bridge.App);
        using var inRange = SourceBoundClient.From(Loopback);
        using var outOfRange = SourceBoundClient.From(IPAddress.Parse("127.0.0.3"));
        var path = $"{SSeriesEventListener.Path}/{Secret(bridge)}";

        using var admitted = await PushAsync(inRange, bridge, path, out var admittedMarker);
        using var refused = await PushAsync(outOfRange, bridge, path, out _);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        await AssertRefusedAsync(refused, "YEASTAR_PUSH_ALLOWED_IPS", Secret(bridge));
        Assert.Equal(1, refusals["source_not_allowed"]);
        await Eventually.UntilAsync(() => HasFrame(api, admittedMarker), Timeout, "the admitted push at the API", bridge.Logs.AllText);
    }

    [Fact]
    public async Task A_flood_of_refused_pushes_is_counted_in_full_but_logged_only_a_few_times()
    {
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(new Uri(OtherPbxHost), api, Settings());
        using var refusals = new PushRefusalCounter(bridge.App);
        using var stranger = SourceBoundClient.From(Loopback);
        const int Flood = 3 * SSeriesPushGuard.LoggedRefusalsPerMinute;

        for (var i = 0; i < Flood; i++)
        {
            using var response = await PushAsync(stranger, bridge, SSeriesEventListener.Path, out _);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(Flood, refusals["source_not_allowed"]);
        Assert.Equal(SSeriesPushGuard.LoggedRefusalsPerMinute, bridge.Logs.Count("Refused an S-Series event push"));
    }

    internal static Dictionary<string, string?> Settings() => new()
    {
        ["YEASTAR_API_VERSION"] = "v2.0.0",
        ["YEASTAR_TIMEZONE"] = new PbxSimulator.PbxSimulatorOptions().TimeZone,
    };

    private static PbxSimulator.PbxSimulatorOptions SimulatorOptions()
    {
        var options = SSeriesSimulatorTests.SOptions(timeScale: 10);
        options.ClientId = BridgeUnderTest.ClientId;
        options.ClientSecret = BridgeUnderTest.ClientSecret;
        return options;
    }

    private static string Secret(BridgeUnderTest bridge) => bridge.App.Services.GetRequiredService<SSeriesPushSecret>().Value;

    private static bool HasFrame(FakeTelephonyApi api, string marker) =>
        api.Frames.Any(f => f.Source == ApiForwarder.SSeriesHttpSource && f.RawFrame.Contains(marker, StringComparison.Ordinal));

    // An ExtensionStatus event (api.md B3) whose sn marks this push, so the test can look for it at the API.
    private static Task<HttpResponseMessage> PushAsync(HttpClient client, BridgeUnderTest bridge, string path, out string marker)
    {
        marker = Guid.NewGuid().ToString("N");
        var body = $$"""{"event":"ExtensionStatus","extension":"1001","status":"Ringing","sn":"{{marker}}"}""";
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentType!.CharSet = null;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge.BaseUrl, path)) { Content = content };
        request.Headers.UserAgent.ParseAdd("WebAPI");
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string detailMentions, string token)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("S-Series event push refused", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(detailMentions, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
    }
}
