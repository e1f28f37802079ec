using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class SSeriesSimulatorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    internal static PbxSimulatorOptions SOptions(double timeScale = 30) => new()
    {
        Kind = "s-series",
        ClientId = "api",
        ClientSecret = "api-password",
        TimeScale = timeScale,
        Seed = 7,
        SSeriesEventRetryDelay = TimeSpan.FromMilliseconds(50),
    };

#pragma warning disable CA5351 // The S-Series login protocol prescribes MD5 (api.md B2).
    internal static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    [Fact]
    public async Task Login_with_md5_password_returns_a_token_and_wrong_passwords_fail_with_20003()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };

        var ok = await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = Md5("api-password"), version = "2.0.0", port = "8260" }, ct);
        Assert.Equal("Success", ok.GetProperty("status").GetString());
        Assert.Matches("^[0-9a-f]{32}$", ok.GetProperty("token").GetString());

        // The clear-text password is not accepted: the protocol sends MD5 only.
        var clear = await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = "api-password", version = "2.0.0" }, ct);
        Assert.Equal("""{"status":"Failed","errno":"20003"}""", clear.GetRawText());

        var unknown = await PostAsync(http, $"api/v2.0.0/nope?token={ok.GetProperty("token").GetString()}", new { }, ct);
        Assert.Equal("10003", unknown.GetProperty("errno").GetString());
        Assert.Equal(1, pbx.ValidAccessTokenCount);
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_ip_until_the_lockout_passes()
    {
        var ct = TestContext.Current.CancellationToken;

        // 10 simulated minutes at TimeScale 120 = 5 real seconds of lock.
        await using var pbx = await PbxSim.StartAsync(SOptions(timeScale: 120), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var good = new { username = "api", password = Md5("api-password"), version = "2.0.0" };
        var bad = new { username = "api", password = Md5("wrong"), version = "2.0.0" };

        for (var i = 0; i < 5; i++)
        {
            var failed = await PostAsync(http, "api/v2.0.0/login", bad, ct);
            Assert.Equal("20003", failed.GetProperty("errno").GetString());
        }

        var locked = await PostAsync(http, "api/v2.0.0/login", good, ct);
        Assert.Equal("""{"status":"Failed","errno":"20002"}""", locked.GetRawText());

        // Logins while locked do not count as failures and do not extend the lock.
        var started = DateTimeOffset.UtcNow;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = started + Timeout;
        string? errno = "20002";
        while (errno is not null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the lock expired in time");
            Assert.Equal("20002", errno);
            await poll.WaitForNextTickAsync(ct);
            var reply = await PostAsync(http, "api/v2.0.0/login", good, ct);
            errno = reply.GetProperty("status").GetString() == "Success" ? null : reply.GetProperty("errno").GetString();
        }

        Assert.True(DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(2), "the lock lasted (about 5 s real time)");
    }

    [Fact]
    public async Task Heartbeat_keeps_the_token_alive_and_an_idle_token_times_out_with_20006()
    {
        var ct = TestContext.Current.CancellationToken;

        // 30 simulated minutes at TimeScale 900 = 2 real seconds of token life without requests.
        await using var pbx = await PbxSim.StartAsync(SOptions(timeScale: 900), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var login = await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = Md5("api-password"), version = "2.0.0" }, ct);
        var token = login.GetProperty("token").GetString()!;

        // Heartbeats every 0.5 s for 3 s, longer than the token's idle life: each one extends it (B2).
        using (var beat = new PeriodicTimer(TimeSpan.FromMilliseconds(500)))
        {
            for (var i = 0; i < 6; i++)
            {
                await beat.WaitForNextTickAsync(ct);
                var reply = await PostAsync(http, $"api/v2.0.0/heartbeat?token={token}", new { ipaddr = "127.0.0.1" }, ct);
                Assert.Equal("""{"status":"Success"}""", reply.GetRawText());
            }
        }

        await Eventually.UntilAsync(() => pbx.ValidAccessTokenCount == 0, Timeout, "the idle token to expire");
        Assert.Equal("""{"status":"Failed","errno":"20006"}""", (await PostAsync(http, $"api/v2.0.0/heartbeat?token={token}", new { ipaddr = "127.0.0.1" }, ct)).GetRawText());
        Assert.Equal("20006", (await PostAsync(http, $"api/v2.0.0/extension/list?token={token}", new { }, ct)).GetProperty("errno").GetString());
        Assert.Equal("20004", (await PostAsync(http, "api/v2.0.0/extension/list?token=0123456789abcdef0123456789abcdef", new { }, ct)).GetProperty("errno").GetString());
        Assert.Equal("20005", (await PostAsync(http, "api/v2.0.0/extension/list", new { }, ct)).GetProperty("errno").GetString());
    }

    [Fact]
    public async Task Events_are_pushed_to_the_login_url_with_webapi_user_agent_and_resent_until_200()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SOptions(), ct);
        await using var receiver = await EventReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var url = $"{receiver.BaseUrl.Authority}{EventReceiver.EventPath}";
        var login = await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = Md5("api-password"), version = "2.0.0", port = receiver.BaseUrl.Port.ToString(CultureInfo.InvariantCulture), url, urltag = "1" }, ct);
        Assert.Equal("Success", login.GetProperty("status").GetString());

        receiver.RefuseNext(2);
        var callId = pbx.StartInternalCall("1001", "1002", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        await Eventually.UntilAsync(
            () => receiver.Pushes.Any(p => !p.Refused && p.Body.Contains("\"NewCdr\"", StringComparison.Ordinal)), Timeout, "the NewCdr push");

        var pushes = receiver.Pushes;
        Assert.All(pushes, p => Assert.Equal("WebAPI", p.UserAgent));
        Assert.All(pushes, p => Assert.StartsWith("application/json", p.ContentType, StringComparison.Ordinal));

        // The two refused pushes were the first event, sent three times.
        Assert.Equal(pushes[0].Body, pushes[1].Body);
        Assert.Equal(pushes[0].Body, pushes[2].Body);
        Assert.False(pushes[2].Refused);

        using var first = JsonDocument.Parse(pushes[0].Body);
        Assert.Equal("CallStatus", first.RootElement.GetProperty("event").GetString());
        Assert.Equal(callId, first.RootElement.GetProperty("callid").GetString());
        var ext = first.RootElement.GetProperty("members")[0].GetProperty("ext");
        Assert.Equal(["number", "channelid", "memberstatus", "callpath"], ext.EnumerateObject().Select(p => p.Name));

        var cdr = pushes.Last(p => p.Body.Contains("\"NewCdr\"", StringComparison.Ordinal)).Body;
        using var cdrDocument = JsonDocument.Parse(cdr);
        Assert.Equal("Internal", cdrDocument.RootElement.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.String, cdrDocument.RootElement.GetProperty("callduraction").ValueKind);
        Assert.True(cdrDocument.RootElement.TryGetProperty("dsttrcunkname", out _));
        Assert.Contains(pushes, p => p.Body.Contains("\"ExtensionStatus\"", StringComparison.Ordinal) && p.Body.Contains("\"Registered\"", StringComparison.Ordinal));
        await Eventually.UntilAsync(() => pbx.SSeriesEventsDelivered == receiver.Pushes.Count(p => !p.Refused), Timeout, "the delivery count");
        Assert.Equal(pbx.SSeriesEventAttempts, receiver.Pushes.Count);
        Assert.All(pushes, p => Assert.Equal(EventReceiver.EventPath, p.Path));
    }

    [Fact]
    public async Task A_relative_url_is_pushed_to_the_login_source_ip_and_a_heartbeat_can_move_it_there()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SOptions(), ct);

        // The client logs in from 127.0.0.2 and listens only there: B3 posts a relative url to the login source IP.
        await using var receiver = await EventReceiver.StartAsync("127.0.0.2");
        using var http = SourceBoundClient.From(System.Net.IPAddress.Parse("127.0.0.2"));
        http.BaseAddress = pbx.BaseUrl;
        var port = receiver.BaseUrl.Port.ToString(CultureInfo.InvariantCulture);
        var login = await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = Md5("api-password"), version = "2.0.0", port, url = "events/first-secret" }, ct);
        var token = login.GetProperty("token").GetString()!;

        var first = pbx.StartInternalCall("1001", "1002", ringFor: TimeSpan.FromSeconds(1), talkFor: null);
        await pbx.WhenCallCompletedAsync(first, ct).WaitAsync(Timeout, ct);
        await Eventually.UntilAsync(
            () => receiver.Pushes.Any(p => p.Body.Contains(first, StringComparison.Ordinal) && p.Body.Contains("\"NewCdr\"", StringComparison.Ordinal)),
            Timeout,
            "the first call's last push (its NewCdr)");

        // ipaddr is required but names no target of its own: the new relative url still goes to the login source IP.
        var beat = await PostAsync(http, $"api/v2.0.0/heartbeat?token={token}", new { ipaddr = "192.0.2.1", port, version = "2.0.0", url = "/events/second-secret", urltag = "0" }, ct);
        Assert.Equal("Success", beat.GetProperty("status").GetString());
        var second = pbx.StartInternalCall("1003", "1004", ringFor: TimeSpan.FromSeconds(1), talkFor: null);
        await Eventually.UntilAsync(() => receiver.Pushes.Any(p => p.Body.Contains(second, StringComparison.Ordinal)), Timeout, "a push of the second call");

        Assert.All(receiver.Pushes.Where(p => p.Body.Contains(first, StringComparison.Ordinal)), p => Assert.Equal("/events/first-secret", p.Path));
        Assert.All(receiver.Pushes.Where(p => p.Body.Contains(second, StringComparison.Ordinal)), p => Assert.Equal("/events/second-secret", p.Path));
    }

    [Fact]
    public async Task Cdr_get_random_gives_a_single_use_csv_download()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var callId = pbx.StartInboundCall("+79991234567", "1003", ringFor: TimeSpan.FromSeconds(1), talkFor: null);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        var token = (await PostAsync(http, "api/v2.0.0/login", new { username = "api", password = Md5("api-password"), version = "2.0.0" }, ct)).GetProperty("token").GetString()!;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(new PbxSimulatorOptions().TimeZone);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var start = now.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var end = now.AddHours(1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var grant = await PostAsync(http, $"api/v2.0.0/cdr/get_random?token={token}", new { number = "all", starttime = start, endtime = end }, ct);
        Assert.Equal(["status", "number", "starttime", "endtime", "random"], grant.EnumerateObject().Select(p => p.Name));

        var link = $"api/v2.0.0/cdr/download?number=all&random={grant.GetProperty("random").GetString()}&token={token}";
        var csv = await http.GetStringAsync(new Uri(link, UriKind.Relative), ct);
        Assert.StartsWith("callid,timestart,callfrom,callto,callduraction,talkduraction,", csv, StringComparison.Ordinal);
        Assert.Contains($"{callId},", csv, StringComparison.Ordinal);
        Assert.Contains(",NO ANSWER,Inbound,", csv, StringComparison.Ordinal);

        var again = await http.GetStringAsync(new Uri(link, UriKind.Relative), ct);
        Assert.Equal("""{"status":"Failed","errno":"20020"}""", again);

        var badTime = await PostAsync(http, $"api/v2.0.0/cdr/get_random?token={token}", new { number = "all", starttime = "24/10/2019", endtime = end }, ct);
        Assert.Equal("20019", badTime.GetProperty("errno").GetString());
    }

    internal static async Task<JsonElement> PostAsync(HttpClient http, string endpoint, object body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await http.PostAsync(new Uri(endpoint, UriKind.Relative), content, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }
}
