using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Telephony.FaultTests;

/// <summary>The whole API (HTTP, Orleans silo) on a real Kestrel port, against the given database connection string.</summary>
public sealed class FaultApiHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "fault-test-bootstrap-admin-key-0123456789";

    /// <summary>TELEPHONY_SECRETS_KEY: the fleet tests store PBX client secrets.</summary>
    public static readonly string SecretsKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))]);

    private readonly string _databaseUrl;

    private FaultApiHost(string databaseUrl)
    {
        _databaseUrl = databaseUrl;
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    public static FaultApiHost Start(string databaseUrl)
    {
        var host = new FaultApiHost(databaseUrl);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DATABASE_URL", _databaseUrl);
        builder.UseSetting("ORLEANS_SILO_PORT", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ORLEANS_GATEWAY_PORT", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("CallTracking:CdrGracePeriod", "00:00:03");
        builder.UseSetting("TELEPHONY_ADMIN_KEY", AdminKey);
        builder.UseSetting("TELEPHONY_SECRETS_KEY", SecretsKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
