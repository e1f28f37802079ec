using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Ready, in fleet mode, means the supervisor reaches the API's fleet listing; each PBX's own link status goes to the
/// API as in single mode (GET /api/pbx, yeastar:connected), and is summed up here.
/// </summary>
internal sealed class FleetHealthCheck(FleetSupervisor supervisor, TimeProvider time) : IHealthCheck
{
    // Three passes missed: a single slow answer is not an outage.
    private static readonly TimeSpan Stale = FleetSupervisor.PollInterval * 3 + TimeSpan.FromSeconds(5);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = supervisor.Status;
        var units = supervisor.Units;
        var data = units.ToDictionary(u => u.Pbx.ToString(), u => (object)(u.Link.Current is { Connected: true } ? "connected" : $"disconnected: {u.Link.Current.Reason}"));
        var linked = units.Count(u => u.Link.Current.Connected);
        if (status.ListedAt is not { } listedAt)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The fleet listing has not been read yet: {status.ListingError}", data: data));
        }

        if (time.GetUtcNow() - listedAt > Stale)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"The fleet listing could not be read since {listedAt:O}: {status.ListingError}; serving {units.Count} PBXs ({linked} linked)", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Serving {units.Count} of {status.Listed} PBXs ({linked} linked)", data));
    }
}
