using System.Globalization;
using System.Text.Json;
using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxBridge.Tests.SSeries;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// The fault switches against an S-Series PBX (api.md B2, B3, B7).
public sealed class SSeriesFaultSwitchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly object Login = new { username = "api", password = SSeriesSimulatorTests.Md5("api-password"), version = "2.0.0" };

    [Fact]
    public async Task Reject_tokens_times_out_every_token_and_refuses_logins_until_the_ip_locks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var token = await LoginAsync(http, Login, ct);

        pbx.Faults.RejectTokens = true;

        Assert.Equal("""{"status":"Failed","errno":"20006"}""", (await HeartbeatAsync(http, token, ct)).GetRawText());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("20003", (await PostAsync(http, "api/v2.0.0/login", Login, ct)).GetProperty("errno").GetString());
        }

        Assert.Equal("20002", (await PostAsync(http, "api/v2.0.0/login", Login, ct)).GetProperty("errno").GetString());
        Assert.Equal((5, 1, true), (pbx.Faults.RefusedLogins, pbx.Faults.IpLockouts, pbx.Faults.IsAnyIpLocked));

        pbx.Faults.RejectTokens = false;
        Assert.Equal("20002", (await PostAsync(http, "api/v2.0.0/login", Login, ct)).GetProperty("errno").GetString());
        pbx.Faults.UnblockAllIps();

        Assert.False(pbx.Faults.IsAnyIpLocked);
        await LoginAsync(http, Login, ct);
        Assert.Equal("Success", (await HeartbeatAsync(http, token, ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reject_logins_refuses_the_right_password_with_20003_and_leaves_tokens_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var token = await LoginAsync(http, Login, ct);

        pbx.Faults.RejectLogins = true;

        Assert.Equal("""{"status":"Failed","errno":"20003"}""", (await PostAsync(http, "api/v2.0.0/login", Login, ct)).GetRawText());
        Assert.Equal("Success", (await HeartbeatAsync(http, token, ct)).GetProperty("status").GetString());
        Assert.Equal((1, 0, false), (pbx.Faults.RefusedLogins, pbx.Faults.IpLockouts, pbx.Faults.IsAnyIpLocked));
    }

    [Fact]
    public async Task No_events_are_pushed_while_no_token_is_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        await using var receiver = await EventReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        await LoginAsync(http, WithTarget(receiver), ct);

        pbx.Faults.RejectTokens = true;
        var missed = pbx.StartInternalCall("1001", "1002", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(missed, ct).WaitAsync(Timeout, ct);
        pbx.Faults.RejectTokens = false;
        var seen = pbx.StartInternalCall("1003", "1004", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));

        // Events go out in emit order, so once the later call's CDR is in, the earlier call's events were dropped.
        await Eventually.UntilAsync(() => receiver.Pushes.Any(p => IsCdrOf(p, seen)), Timeout, "the second call's NewCdr");
        Assert.DoesNotContain(receiver.Pushes, p => CallIdOf(p.Body) == missed || p.Body.Contains("\"1001\"", StringComparison.Ordinal));
        Assert.Contains(pbx.Calls, c => c.CallId == missed);
    }

    [Fact]
    public async Task Duplicate_and_reorder_pushes_every_event_twice_and_swaps_neighbours()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        await using var receiver = await EventReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        await LoginAsync(http, WithTarget(receiver), ct);
        pbx.Faults.DuplicateAndReorderFrames = true;

        // The refused first push holds the pusher for a retry delay, so the call's next events queue up behind it.
        receiver.RefuseNext(1);
        var callId = pbx.StartInternalCall("1001", "1002", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);

        // A later call's CDR arriving means every push of the first call is in (a swap moves an event one place at most).
        var later = pbx.StartInternalCall("1003", "1004", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await Eventually.UntilAsync(() => receiver.Pushes.Any(p => IsCdrOf(p, later)), Timeout, "the later call's NewCdr");

        var accepted = receiver.Pushes.Where(p => !p.Refused).Select(p => p.Body).ToList();
        var firstCall = accepted.Where(b => CallIdOf(b) == callId).GroupBy(b => b).ToList();
        Assert.Contains(firstCall, g => g.Key.Contains("\"NewCdr\"", StringComparison.Ordinal));
        Assert.All(firstCall, g => Assert.Equal(2, g.Count()));
        Assert.True(pbx.Faults.DuplicatedFrames >= firstCall.Count, $"{pbx.Faults.DuplicatedFrames} duplicated");
        Assert.True(pbx.Faults.ReorderedFrames >= 1, "no pair of events was swapped");
    }

    private static object WithTarget(EventReceiver receiver) => new
    {
        username = "api",
        password = SSeriesSimulatorTests.Md5("api-password"),
        version = "2.0.0",
        port = receiver.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
        url = $"{receiver.BaseUrl.Authority}{EventReceiver.EventPath}",
        urltag = "1",
    };

    private static bool IsCdrOf(ReceivedPush push, string callId) =>
        !push.Refused && push.Body.Contains("\"NewCdr\"", StringComparison.Ordinal) && CallIdOf(push.Body) == callId;

    // The callid of a pushed event; null for ExtensionStatus, which has none (B3).
    internal static string? CallIdOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("callid", out var callId) ? callId.GetString() : null;
    }

    private static async Task<string> LoginAsync(HttpClient http, object body, CancellationToken cancellationToken)
    {
        var login = await PostAsync(http, "api/v2.0.0/login", body, cancellationToken);
        Assert.Equal("Success", login.GetProperty("status").GetString());
        return login.GetProperty("token").GetString()!;
    }

    private static Task<JsonElement> HeartbeatAsync(HttpClient http, string token, CancellationToken cancellationToken) =>
        PostAsync(http, $"api/v2.0.0/heartbeat?token={token}", new { ipaddr = "127.0.0.1" }, cancellationToken);

    private static Task<JsonElement> PostAsync(HttpClient http, string endpoint, object body, CancellationToken cancellationToken) =>
        SSeriesSimulatorTests.PostAsync(http, endpoint, body, cancellationToken);
}
