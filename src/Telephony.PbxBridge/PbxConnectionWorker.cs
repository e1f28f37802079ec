namespace Telephony.PbxBridge;

/// <summary>Runs the PBX's link (<see cref="IPbxLink"/>, one family per PBX) for the lifetime of the bridge.</summary>
internal sealed class PbxConnectionWorker(IPbxLink link) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => link.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await link.StopAsync(cancellationToken);
    }
}
