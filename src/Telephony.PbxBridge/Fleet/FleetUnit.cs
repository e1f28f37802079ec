using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// One PBX served by a fleet bridge: the whole graph a single-PBX bridge runs (<see cref="PbxLinkServices"/>) in a
/// container of its own — its token, socket or push listener, spool, CDR mark, catch-up, command poll, login guard, TLS
/// pin and link status — whose hosted services this starts and stops as a host would. Units share no lock or queue,
/// so one PBX's lockout, bad secret, full spool or slow answers never hold up another.
/// </summary>
internal sealed partial class FleetUnit(
    FleetPbx pbx, FleetUnitLease lease, ServiceProvider services, FleetUnitMeterFactory meters, ILogger logger) : IAsyncDisposable
{
    private IHostedService[] _running = [];

    public FleetPbxKey Pbx { get; } = pbx.Key;

    public FleetUnitLease Lease { get; } = lease;

    /// <summary>Resolved up front, so health reads it safely while the unit is being stopped and disposed.</summary>
    public PbxLinkStatus Link { get; } = services.GetRequiredService<PbxLinkStatus>();

    /// <summary>The secret in this unit's S-Series push URL; null for a P-Series PBX.</summary>
    public SSeriesPushSecret? PushSecret { get; } = pbx.IsSSeries ? services.GetRequiredService<SSeriesPushSecret>() : null;

    /// <summary>The unit's own services, for the push route.</summary>
    public IServiceProvider Services => services;

    /// <summary>Starts the hosted services in registration order (forwarder, link worker, command poll).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving them builds the graph; the spool recovers its folder here.
        var hosted = services.GetServices<IHostedService>().ToArray();
        var started = new List<IHostedService>(hosted.Length);
        try
        {
            foreach (var service in hosted)
            {
                await service.StartAsync(cancellationToken);
                started.Add(service);
            }
        }
        finally
        {
            _running = [.. started];
        }
    }

    /// <summary>Stops them in reverse order, as a host does: the link worker marks the link down before the forwarder reports it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = _running;
        _running = [];
        for (var i = running.Length - 1; i >= 0; i--)
        {
            try
            {
                await running[i].StopAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever one service does on its way out, the others still stop.
                Log.StopFailed(logger, Pbx.ToString(), running[i].GetType().Name, ex.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        meters.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Stopping {Service} of PBX {Pbx} failed ({Kind})")]
        public static partial void StopFailed(ILogger logger, string pbx, string service, string kind);
    }
}
