using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// api.md A4: 5 failed auth attempts → the IP is blocked (70004 ACCOUNT IP BLOCKED) until removed by hand on the PBX.
public sealed class IpBlockTests
{
    private static readonly object RightSecret = new { username = "simulator", password = "simulator-secret" };
    private static readonly object WrongSecret = new { username = "simulator", password = "wrong" };

    [Fact]
    public async Task Five_wrong_secrets_block_the_ip_for_every_request_until_unblocked_by_hand()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);
        var token = await client.GetTokenAsync(ct);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(-1, (await client.PostAsync("openapi/v1.0/get_token", WrongSecret, ct)).GetProperty("errcode").GetInt32());
        }

        var sixth = await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct);
        Assert.Equal("""{"errcode":70004,"errmsg":"ACCOUNT IP BLOCKED"}""", sixth.GetRawText());
        Assert.Equal(70004, (await client.GetAsync($"openapi/v1.0/extension/list?access_token={token}", ct)).GetProperty("errcode").GetInt32());
        Assert.Equal(70004, (await client.PostAsync("openapi/v1.0/refresh_token", new { refresh_token = "x" }, ct)).GetProperty("errcode").GetInt32());
        Assert.Equal(70004, (await UpgradeAsync(client, token, ct)).GetProperty("errcode").GetInt32());
        await Assert.ThrowsAsync<WebSocketException>(() => client.SubscribeAsync(token, [30011], ct));
        Assert.Equal((5, 1, true), (simulator.Faults.RefusedLogins, simulator.Faults.IpLockouts, simulator.Faults.IsAnyIpLocked));

        simulator.Faults.UnblockAllIps();

        Assert.False(simulator.Faults.IsAnyIpLocked);
        await client.GetTokenAsync(ct);
        using var socket = await client.SubscribeAsync(token, [30011], ct);
        Assert.Equal((5, 1), (simulator.Faults.RefusedLogins, simulator.Faults.IpLockouts));
    }

    [Fact]
    public async Task Logins_refused_by_the_fault_switches_count_toward_the_block()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions { MaxLoginFailures = 4 }, ct);
        using var client = new SimulatorClient(simulator);

        simulator.Faults.RejectLogins = true;
        await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct);
        await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct);
        simulator.Faults.RejectLogins = false;
        simulator.Faults.RejectTokens = true;
        await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct);
        Assert.False(simulator.Faults.IsAnyIpLocked);
        await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct);
        simulator.Faults.RejectTokens = false;

        Assert.Equal(70004, (await client.PostAsync("openapi/v1.0/get_token", RightSecret, ct)).GetProperty("errcode").GetInt32());
        Assert.Equal((4, 1, true), (simulator.Faults.RefusedLogins, simulator.Faults.IpLockouts, simulator.Faults.IsAnyIpLocked));
    }

    [Fact]
    public async Task A_successful_login_restarts_the_failure_count()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await PbxSim.StartAsync(new PbxSimulatorOptions(), ct);
        using var client = new SimulatorClient(simulator);

        for (var i = 0; i < 4; i++)
        {
            await client.PostAsync("openapi/v1.0/get_token", WrongSecret, ct);
        }

        await client.GetTokenAsync(ct);
        for (var i = 0; i < 4; i++)
        {
            await client.PostAsync("openapi/v1.0/get_token", WrongSecret, ct);
        }

        await client.GetTokenAsync(ct);
        Assert.Equal((8, 0, false), (simulator.Faults.RefusedLogins, simulator.Faults.IpLockouts, simulator.Faults.IsAnyIpLocked));
    }

    // A WebSocket handshake request (A5) sent as plain HTTP, so the refusal body can be read.
    private static async Task<JsonElement> UpgradeAsync(SimulatorClient client, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"openapi/v1.0/subscribe?access_token={token}", UriKind.Relative));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        using var response = await client.Http.SendAsync(request, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }
}
