using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Telephony.PbxBridge;

/// <summary>Ready means the PBX WebSocket is connected and subscribed.</summary>
internal sealed class PbxLinkHealthCheck(PbxLinkStatus link) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = link.Current;
        return Task.FromResult(current.Connected
            ? HealthCheckResult.Healthy("Connected to the PBX")
            : HealthCheckResult.Unhealthy($"Not connected to the PBX: {current.Reason}"));
    }
}
