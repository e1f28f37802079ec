namespace Telephony.PbxBridge;

/// <summary>
/// Copies the PBX's extension list to the API: <see cref="PSeries.PSeriesExtensionSync"/> (extension/list, A10) or
/// <see cref="SSeries.SSeriesExtensionSync"/> (extension/list, B5).
/// </summary>
internal interface IExtensionSync
{
    /// <summary>False when it failed (logged, never thrown: the next subscribe or login retries).</summary>
    Task<bool> SyncAsync(CancellationToken cancellationToken);
}
