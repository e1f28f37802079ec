using Microsoft.AspNetCore.SignalR.Client;
using Telephony.TestSupport;

[assembly: AssemblyFixture(typeof(Telephony.Api.Tests.TelephonyApiFactory))]

namespace Telephony.Api.Tests;

/// <summary>
/// The whole API (HTTP, SignalR, Orleans silo) on a real Kestrel port against a fresh PostgreSQL database,
/// shared by every test of the assembly; tests isolate themselves by tenant.
/// </summary>
public class TelephonyApiFactory() : ApiHost(new Dictionary<string, string?>
{
    ["TELEPHONY_SECRETS_KEY_PREVIOUS"] = Convert.ToBase64String(PreviousSecretsKey),
    ["Commands:ResultTimeout"] = "00:00:05",
    ["CORS_ORIGINS"] = AllowedOrigin,
    ["RECORDINGS_STORAGE_CONNECTION_STRING"] = TestServices.Azurite,
}), IAsyncLifetime
{
    /// <summary>The key of before a rotation (TELEPHONY_SECRETS_KEY_PREVIOUS): it still opens what it sealed.</summary>
    public static readonly byte[] PreviousSecretsKey = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    public TestDatabase Database { get; } = new();

    public virtual async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        DatabaseUrl = Database.ConnectionString;
        Listen();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public const string AllowedOrigin = "https://admin.foodflow.test";

    /// <summary>A real SignalR client on the hub, recording every event it receives.</summary>
    public async Task<LiveEventRecorder> ConnectHubAsync(string apiKey, string? extension = null)
    {
        var url = new Uri(BaseAddress, extension is null ? "hubs/calls" : $"hubs/calls?extension={Uri.EscapeDataString(extension)}");
        var connection = new HubConnectionBuilder()
            .WithUrl(url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey))
            .Build();
        var recorder = new LiveEventRecorder(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return recorder;
    }
}
