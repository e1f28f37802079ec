using System.Globalization;
using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxBridge.Tests.SSeries;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Fault switch Offline: the PBX is unreachable, yet its calls carry on and are found in the CDRs afterwards.
public sealed class OfflineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Offline_p_series_cuts_requests_and_sockets_while_calls_carry_on()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions { TimeScale = 30, Seed = 1, IdleTimeout = TimeSpan.FromHours(1) }, ct);
        using var client = new SimulatorClient(simulator);
        var token = await client.GetTokenAsync(ct);
        using var socket = await client.SubscribeAsync(token, [30012], ct);

        simulator.Faults.Offline = true;

        Assert.Null(await SimulatorClient.ReceiveTextAsync(socket, ct));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"openapi/v1.0/extension/list?access_token={token}", ct));
        var callId = simulator.StartInboundCall("89161234567", "1001", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));
        await simulator.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);

        simulator.Faults.Offline = false;

        var search = await client.GetAsync($"openapi/v1.0/cdr/search?access_token={token}", ct);
        Assert.Equal(callId, search.GetProperty("data")[0].GetProperty("call_id").GetString());
        using var again = await client.SubscribeAsync(token, [30012], ct);
    }

    [Fact]
    public async Task Offline_s_series_cuts_requests_and_drops_the_events_of_its_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        await using var receiver = await EventReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var login = await SSeriesSimulatorTests.PostAsync(http, "api/v2.0.0/login", new
        {
            username = "api",
            password = SSeriesSimulatorTests.Md5("api-password"),
            version = "2.0.0",
            port = receiver.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            url = $"{receiver.BaseUrl.Authority}{EventReceiver.EventPath}",
            urltag = "1",
        }, ct);
        var heartbeat = $"api/v2.0.0/heartbeat?token={login.GetProperty("token").GetString()}";

        pbx.Faults.Offline = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => SSeriesSimulatorTests.PostAsync(http, heartbeat, new { ipaddr = "127.0.0.1" }, ct));
        var missed = pbx.StartInternalCall("1001", "1002", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await pbx.WhenCallCompletedAsync(missed, ct).WaitAsync(Timeout, ct);

        pbx.Faults.Offline = false;

        var reply = await SSeriesSimulatorTests.PostAsync(http, heartbeat, new { ipaddr = "127.0.0.1" }, ct);
        Assert.Equal("Success", reply.GetProperty("status").GetString());
        var seen = pbx.StartInternalCall("1003", "1004", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        await Eventually.UntilAsync(
            () => receiver.Pushes.Any(p => SSeriesFaultSwitchTests.CallIdOf(p.Body) == seen && p.Body.Contains("\"NewCdr\"", StringComparison.Ordinal)),
            Timeout,
            "the NewCdr of the call after the outage");
        Assert.DoesNotContain(receiver.Pushes, p => SSeriesFaultSwitchTests.CallIdOf(p.Body) == missed);
        Assert.Contains(pbx.Calls, c => c.CallId == missed);
    }
}
