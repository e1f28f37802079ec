using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace Telephony.Api.Tests.Replicas;

/// <summary>
/// Two API replicas in one Orleans cluster (Azure Table clustering on Azurite, a cluster id of their own) against one
/// fresh database, with the Redis backplane between their hubs: what API_REPLICAS=2 scripts/up runs (issue 12 §1, §2).
/// </summary>
public sealed class ReplicaCluster : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public ApiHost A { get; private set; } = null!;

    public ApiHost B { get; private set; } = null!;

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ORLEANS_CLUSTERING"] = "AzureStorage",
            ["AZURE_STORAGE_CONNECTION_STRING"] = TestServices.Azurite,
            ["ORLEANS_CLUSTER_ID"] = ClusterId,
            ["ORLEANS_ADVERTISED_IP"] = "127.0.0.1",
            ["REDIS_URL"] = TestServices.Redis,
            ["Logging:LogLevel:Orleans"] = "Warning",
        };
        A = ApiHost.Start(Database.ConnectionString, settings);
        B = ApiHost.Start(Database.ConnectionString, settings);

        // Joined when each silo sees both as active.
        await Eventually.UntilAsync(async () => await ActiveSilosAsync(A) == 2 && await ActiveSilosAsync(B) == 2, TimeSpan.FromSeconds(60), "both replicas to see two active silos");
    }

    public static async Task<int> ActiveSilosAsync(ApiHost replica) =>
        (await replica.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;

    /// <summary>A real SignalR client on <paramref name="replica"/>'s hub, signed in with a hub token.</summary>
    public static async Task<LiveEventRecorder> ConnectHubAsync(ApiHost replica, string hubToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(replica.BaseAddress, "hubs/calls"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(hubToken))
            .Build();
        var recorder = new LiveEventRecorder(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Database.DisposeAsync();
    }
}
