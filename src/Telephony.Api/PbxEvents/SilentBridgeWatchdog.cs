using Telephony.Api.LiveEvents;
using Telephony.Core.Tenancy;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// The bridge re-reports its link every 30 s; one that has said nothing for 90 s was killed or lost its network,
/// so its PBX is shown as disconnected (a killed process cannot say so itself).
/// </summary>
internal sealed partial class SilentBridgeWatchdog(TenantRepository tenants, ILiveEventPublisher publisher, ILogger<SilentBridgeWatchdog> logger) : BackgroundService
{
    public static readonly TimeSpan SilentFor = TimeSpan.FromSeconds(90);
    private const string Reason = "The bridge has not reported for 90 seconds: check that it is running next to the PBX.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var (tenantId, pbxId) in await tenants.ExpireSilentLinksAsync(SilentFor, Reason, stoppingToken))
                {
                    BridgeSilent(logger, pbxId, tenantId);
                    await publisher.PublishAsync(tenantId, [], LiveEventNames.YeastarDisconnected, new PbxLinkDto(pbxId, false, Reason), stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                WatchFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bridge of PBX {PbxId} (tenant {TenantId}) went silent; link marked disconnected")]
    private static partial void BridgeSilent(ILogger logger, string pbxId, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking for silent bridges failed; will try again")]
    private static partial void WatchFailed(ILogger logger, Exception exception);
}
