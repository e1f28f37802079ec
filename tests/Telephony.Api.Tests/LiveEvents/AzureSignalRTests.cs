using Microsoft.Azure.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Telephony.Api.Tests.LiveEvents;

/// <summary>
/// Issue 12 §2: with AZURE_SIGNALR_CONNECTION_STRING set the hub is carried by Azure SignalR Service (Default mode): a
/// browser negotiates with the API as today and is redirected to the service with a token for it. The service itself
/// cannot run here (no emulator), and the SDK hands out the redirect only once its server connections to the service are
/// up, so this checks what can be: the SDK is configured with the endpoint and answers the hub's negotiation instead of
/// the API's own hub.
/// </summary>
public sealed class AzureSignalRTests
{
    private const string Endpoint = "https://telephony-test.service.signalr.net";

    [Fact]
    public async Task The_hub_is_handed_to_the_service_named_by_the_connection_string_and_its_negotiation_is_the_sdks()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        var accessKey = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(i * 3))]);
        await using var api = ApiHost.Start(database.ConnectionString, new Dictionary<string, string?>
        {
            ["AZURE_SIGNALR_CONNECTION_STRING"] = $"Endpoint={Endpoint};AccessKey={accessKey};Version=1.0;",
        });
        var tenant = await TestTenant.CreateAsync(database);
        using var agent = api.CreateClient(tenant.AgentKey);

        var service = api.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
        Assert.Contains(Endpoint, service.ConnectionString, StringComparison.Ordinal);

        // Without a reachable service the SDK refuses to redirect; the API's own hub would have answered with a
        // connection id of its own.
        using var negotiated = await agent.PostAsync("hubs/calls/negotiate?negotiateVersion=1", content: null, TestContext.Current.CancellationToken);
        var body = await negotiated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.False(negotiated.IsSuccessStatusCode, body);
        Assert.Contains("Azure SignalR Service is not connected", body, StringComparison.Ordinal);
        Assert.DoesNotContain("connectionId", body, StringComparison.Ordinal);
    }
}
