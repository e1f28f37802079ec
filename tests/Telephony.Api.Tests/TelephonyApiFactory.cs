using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Telephony.TestSupport;

[assembly: AssemblyFixture(typeof(Telephony.Api.Tests.TelephonyApiFactory))]

namespace Telephony.Api.Tests;

/// <summary>
/// The whole API (HTTP, SignalR, Orleans silo) on a real Kestrel port against a fresh PostgreSQL database,
/// shared by every test of the assembly; tests isolate themselves by tenant.
/// </summary>
public class TelephonyApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The bootstrap admin key this host trusts.</summary>
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    /// <summary>The secrets key this host seals client secrets with (TELEPHONY_SECRETS_KEY).</summary>
    public static readonly byte[] SecretsKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>The key of before a rotation (TELEPHONY_SECRETS_KEY_PREVIOUS): it still opens what it sealed.</summary>
    public static readonly byte[] PreviousSecretsKey = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    public TestDatabase Database { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public TelephonyApiFactory() => UseKestrel(0);

    public virtual async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DATABASE_URL", Database.ConnectionString);
        builder.UseSetting("ORLEANS_SILO_PORT", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ORLEANS_GATEWAY_PORT", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("CallTracking:CdrGracePeriod", "00:00:03");
        builder.UseSetting("TELEPHONY_ADMIN_KEY", AdminKey);
        builder.UseSetting("TELEPHONY_SECRETS_KEY", Convert.ToBase64String(SecretsKey));
        builder.UseSetting("TELEPHONY_SECRETS_KEY_PREVIOUS", Convert.ToBase64String(PreviousSecretsKey));
        builder.UseSetting("Commands:ResultTimeout", "00:00:05");
        builder.UseSetting("CORS_ORIGINS", AllowedOrigin);
    }

    public const string AllowedOrigin = "https://admin.foodflow.test";

    public HttpClient CreateClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
