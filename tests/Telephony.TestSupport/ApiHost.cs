using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Telephony.TestSupport;

/// <summary>
/// The whole API (HTTP, SignalR, Orleans silo) on a real Kestrel port against a given database: the one API host of the
/// test projects. Each host gets Orleans ports of its own, the bootstrap admin key and the secrets key below, a 3 s CDR
/// grace period, and whatever further settings its caller names.
/// </summary>
public class ApiHost : WebApplicationFactory<Program>
{
    /// <summary>The bootstrap admin key every test host trusts.</summary>
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    /// <summary>The secrets key every test host seals client secrets with (TELEPHONY_SECRETS_KEY).</summary>
    public static readonly byte[] SecretsKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    protected ApiHost(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>DATABASE_URL, set before the host starts.</summary>
    protected string DatabaseUrl { get; set; } = "";

    /// <summary>Starts a host against <paramref name="databaseUrl"/>; dispose it to stop it.</summary>
    /// <param name="services">Runs after the API's own registrations (e.g. a telemetry exporter the test reads).</param>
    public static ApiHost Start(string databaseUrl, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = new ApiHost(settings, services) { DatabaseUrl = databaseUrl };
        host.Listen();
        return host;
    }

    /// <summary>A client that authenticates with <paramref name="apiKey"/>.</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected void Listen()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DATABASE_URL", DatabaseUrl);
        builder.UseSetting("ORLEANS_SILO_PORT", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ORLEANS_GATEWAY_PORT", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("CallTracking:CdrGracePeriod", "00:00:03");
        builder.UseSetting("TELEPHONY_ADMIN_KEY", AdminKey);
        builder.UseSetting("TELEPHONY_SECRETS_KEY", Convert.ToBase64String(SecretsKey));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
