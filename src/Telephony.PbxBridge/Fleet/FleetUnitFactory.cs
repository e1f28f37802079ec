using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Builds a <see cref="FleetUnit"/>'s container: its own options (from the listing), HTTP clients and handlers, meters
/// and lease; the host's clock, logging, lifetime and web server (S-Series pushes arrive on the bridge's one listener).
/// </summary>
internal sealed class FleetUnitFactory(
    ILoggerFactory loggers,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<PbxBridgeOptions> tuning,
    IOptions<FleetBridgeOptions> fleet)
{
    public FleetUnit Create(FleetPbx pbx, FleetUnitLease lease)
    {
        var options = FleetUnitOptions.Create(tuning.Value, fleet.Value, pbx);
        var meters = new FleetUnitMeterFactory(pbx.Key);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new FleetUnitLoggerFactory(loggers, pbx.Key));
        services.AddLogging();
        services.AddSingleton<IMeterFactory>(meters);
        services.AddSingleton(time);
        services.AddSingleton(lifetime);
        services.AddSingleton(server);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(lease);
        PbxLinkServices.Add(services, pbx.IsSSeries, api => api.AddHttpMessageHandler(sp => new FleetLeaseHandler(sp.GetRequiredService<FleetUnitLease>())));
        return new FleetUnit(pbx, lease, services.BuildServiceProvider(), meters, loggers.CreateLogger<FleetUnit>());
    }
}
