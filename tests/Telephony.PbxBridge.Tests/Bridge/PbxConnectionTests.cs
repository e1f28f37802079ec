using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed partial class PbxConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Token_is_obtained_and_refreshed_before_it_expires_without_dropping_the_socket()
    {
        var ct = TestContext.Current.CancellationToken;

        // 60 simulated seconds at TimeScale 10: the PBX reports a 6 s token, so the bridge refreshes after ~4.8 s.
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(
            SimulatorOptions(timeScale: 10, accessTokenLifetime: TimeSpan.FromSeconds(60)), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);

        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the first subscription", bridge.Logs.AllText);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Refreshed the Yeastar access token") >= 2, Timeout, "two token refreshes", bridge.Logs.AllText);

        Assert.Equal(1, bridge.Logs.Count("Obtained a Yeastar access token"));
        Assert.Equal(1, bridge.Logs.Count("Connected to Yeastar"));
        Assert.Equal(1, pbx.ActiveSocketCount);
        Assert.InRange(pbx.ValidAccessTokenCount, 1, 2);

        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_keeps_the_socket_alive_past_the_idle_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(
            SimulatorOptions(timeScale: 1, idleTimeout: TimeSpan.FromSeconds(3)), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        // The call lasts 5 s, longer than the 3 s idle timeout; only the 1 s heartbeat keeps the socket open meanwhile.
        var callId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(callId, ct);
        await Eventually.UntilAsync(() => HasCdr(api, callId), Timeout, "the CDR of the call", bridge.Logs.AllText);

        Assert.Equal(1, bridge.Logs.Count("Connected to Yeastar"));
        Assert.Equal(0, bridge.Logs.Count("Disconnected from Yeastar"));
        Assert.Equal(1, pbx.ActiveSocketCount);
        Assert.DoesNotContain(api.Frames, f => f.RawFrame.Contains("heartbeat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unanswered_heartbeats_end_the_session_and_the_bridge_reconnects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(timeScale: 1), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        // A socket that stays open but never answers is dead in practice (half-open TCP); 3 silent intervals end it.
        pbx.Faults.HeartbeatReplyDelay = TimeSpan.FromMinutes(5);
        await Eventually.UntilAsync(() => bridge.Logs.Count("heartbeat unanswered") >= 1, Timeout, "the silent socket to be given up", bridge.Logs.AllText);
        pbx.Faults.HeartbeatReplyDelay = TimeSpan.Zero;
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") >= 2, Timeout, "the resubscription", bridge.Logs.AllText);
    }

    [Fact]
    public async Task Dropped_socket_is_reconnected_and_frames_keep_arriving()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(timeScale: 10), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        var before = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await Eventually.UntilAsync(() => HasCdr(api, before), Timeout, "the first call's CDR", bridge.Logs.AllText);

        pbx.Faults.DropAllSockets();
        await Eventually.UntilAsync(() => bridge.Logs.Count("Disconnected from Yeastar") >= 1, Timeout, "the disconnect", bridge.Logs.AllText);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 2, Timeout, "the resubscription", bridge.Logs.AllText);
        await Eventually.UntilAsync(() => api.Links.Any(l => !l.Connected) && api.Links[^1].Connected, Timeout, "link down then up reported to the API");

        var after = pbx.StartInboundCall("+79997654321", "1002", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(after, ct);
        await Eventually.UntilAsync(() => HasCdr(api, after), Timeout, "the second call's CDR", bridge.Logs.AllText);
        Assert.Equal(1, pbx.ActiveSocketCount);
    }

    [Fact]
    public async Task Expired_token_is_replaced_when_the_socket_is_reopened()
    {
        var ct = TestContext.Current.CancellationToken;

        // A 30-minute token: the scheduled refresh is far away, so only the 10004 handling can recover in time.
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(timeScale: 1), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        pbx.Faults.ExpireAllTokens();
        pbx.Faults.DropAllSockets();
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 2, Timeout, "the resubscription", bridge.Logs.AllText);

        Assert.Equal(1, pbx.ActiveSocketCount);
        Assert.Equal(1, pbx.ValidAccessTokenCount);
    }

    [Fact]
    public async Task Rejected_logins_back_off_and_recover_when_the_pbx_accepts_them_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(timeScale: 10), ct);
        pbx.Faults.RejectLogins = true;
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(
            pbx.BaseUrl, api, new Dictionary<string, string?> { ["YEASTAR_AUTH_RETRY_SECONDS"] = "5" });

        await Eventually.UntilAsync(() => pbx.Faults.RefusedLogins >= 1, Timeout, "the refused login", bridge.Logs.AllText);
        await Eventually.UntilAsync(
            () => api.Links.Any(l => !l.Connected && l.Reason?.Contains("YEASTAR_PASSWORD", StringComparison.Ordinal) == true),
            Timeout,
            "an actionable link-down reason at the API");
        using (var http = new HttpClient { BaseAddress = bridge.BaseUrl })
        {
            using var notReady = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        pbx.Faults.RejectLogins = false;
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription after recovery", bridge.Logs.AllText);
        await Eventually.UntilAsync(() => api.Links.Count > 0 && api.Links[^1].Connected, Timeout, "link up reported to the API");

        // The auth backoff kept the bridge well below the PBX's 5-failures IP block (A4).
        Assert.InRange(pbx.Faults.RefusedLogins, 1, 2);
        Assert.Equal(0, pbx.Faults.IpLockouts);
    }

    [Fact]
    public async Task Refused_logins_stop_after_four_so_the_pbx_never_blocks_the_ip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(SimulatorOptions(timeScale: 10), ct);
        pbx.Faults.RejectLogins = true;
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(
            pbx.BaseUrl, api, new Dictionary<string, string?> { ["YEASTAR_AUTH_RETRY_SECONDS"] = "1" });

        await StoppedLogins.AssertStoppedBeforeTheIpBlockAsync(pbx, api, bridge, refusalErrcode: -1);
    }

    [Fact]
    public async Task No_secret_token_or_key_reaches_the_logs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(
            SimulatorOptions(timeScale: 10, accessTokenLifetime: TimeSpan.FromSeconds(40)), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
        await using (bridge)
        {
            await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);
            var callId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
            await Eventually.UntilAsync(() => HasCdr(api, callId), Timeout, "the CDR", bridge.Logs.AllText);
            await Eventually.UntilAsync(() => bridge.Logs.Count("Refreshed the Yeastar access token") >= 1, Timeout, "a refresh", bridge.Logs.AllText);
            pbx.Faults.ExpireAllTokens();
            pbx.Faults.DropAllSockets();
            await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 2, Timeout, "the resubscription", bridge.Logs.AllText);
        }

        // Disposal revoked the token (del_token carries it in the query string), so shutdown logging is covered too.
        var text = bridge.Logs.AllText();
        Assert.Contains("Revoked the Yeastar access token", text, StringComparison.Ordinal);
        Assert.Equal(new LinkReport("main", "bridge-under-test", false, "Bridge stopped"), api.Links[^1]);
        Assert.Contains("openapi/v1.0/del_token?", text, StringComparison.Ordinal);
        Assert.Contains("Authorization: *", text, StringComparison.Ordinal);
        Assert.DoesNotContain(BridgeUnderTest.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTelephonyApi.BridgeKey, text, StringComparison.Ordinal);
        Assert.DoesNotMatch(AccessTokenInUrl(), text);
        Assert.DoesNotMatch(TokenLikeValue(), text);
    }

    internal static PbxSimulatorOptions SimulatorOptions(
        double timeScale, TimeSpan? accessTokenLifetime = null, TimeSpan? idleTimeout = null) => new()
        {
            ClientId = BridgeUnderTest.ClientId,
            ClientSecret = BridgeUnderTest.ClientSecret,
            TimeScale = timeScale,
            AccessTokenLifetime = accessTokenLifetime ?? TimeSpan.FromMinutes(30),
            IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(60),
        };

    internal static bool HasCdr(FakeTelephonyApi api, string callId) =>
        api.Frames.Any(f => IsEvent(f, 30012) && f.RawFrame.Contains(callId, StringComparison.Ordinal));

    internal static bool IsEvent(ReceivedFrame frame, int type)
    {
        if (frame.Kind != JsonValueKind.Object)
        {
            return false;
        }

        using var document = JsonDocument.Parse(frame.RawFrame);
        return document.RootElement.TryGetProperty("type", out var t) && t.TryGetInt32(out var value) && value == type;
    }

    [GeneratedRegex("access_token=[A-Za-z0-9]")]
    private static partial Regex AccessTokenInUrl();

    // The simulator's tokens are 32 random alphanumerics (as in the fixtures), so all but a few in a thousand hold a
    // digit; a type name in a logged stack trace can be exactly 32 letters ("CircuitBreakerResilienceStrategy") and
    // holds none.
    [GeneratedRegex("(?<![A-Za-z0-9])(?=[A-Za-z]{0,31}[0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])")]
    private static partial Regex TokenLikeValue();
}
