namespace Telephony.PbxBridge;

/// <summary>
/// The seam <see cref="PbxConnectionWorker"/> runs a PBX's link through: <see cref="PSeries.PSeriesLink"/> (the Open API
/// WebSocket, A5) or <see cref="SSeries.SSeriesLink"/> (login, heartbeat and pushes, B2/B3), whichever family it speaks.
/// </summary>
internal interface IPbxLink
{
    /// <summary>Keeps the link up (reconnecting, backing off, catching up) until <paramref name="stoppingToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken stoppingToken);

    /// <summary>After <see cref="RunAsync"/> has ended: marks the link down, saves the CDR mark, gives the PBX its token back.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
