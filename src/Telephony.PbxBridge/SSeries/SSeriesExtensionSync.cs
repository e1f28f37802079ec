using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge.SSeries;

/// <summary>Copies <c>extension/list</c> (api.md B5) to the API after each login, like <see cref="PSeriesExtensionSync"/> does for P-Series.</summary>
internal sealed partial class SSeriesExtensionSync(
    SSeriesSession session,
    TelephonyApiClient api,
    IOptions<PbxBridgeOptions> options,
    ILogger<SSeriesExtensionSync> logger) : IExtensionSync
{
    /// <summary>Failures are logged, never thrown (the next login retries).</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await session.CallAsync((client, token, ct) => client.ListExtensionsAsync(token, ct), cancellationToken);
            if (!reply.IsSuccess)
            {
                Log.ListRefused(logger, reply.Errno ?? "");
                return false;
            }

            var extensions = (reply.Extlist ?? []).Where(e => !string.IsNullOrWhiteSpace(e.Number)).Select(ToItem).ToList();
            await api.PutExtensionsAsync(options.Value.TelephonyPbxId, extensions, cancellationToken);
            Log.Synced(logger, extensions.Count);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SyncFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    // B5 status: Unavailable = not registered; Registered/Idle/Ringing/Busy/Hold = a registered phone. No presence on S-Series.
    internal static ExtensionSyncItem ToItem(SSeriesClient.ExtensionInfo row) => new(
        row.Number!.Trim(),
        string.IsNullOrWhiteSpace(row.Username) ? null : row.Username,
        row.Status is { } status && !status.Equals("Unavailable", StringComparison.OrdinalIgnoreCase) && !status.Equals("Unregistered", StringComparison.OrdinalIgnoreCase)
            && !status.Equals("Malfunction", StringComparison.OrdinalIgnoreCase),
        null);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Synced {Count} S-Series extensions to the API")]
        public static partial void Synced(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "S-Series extension sync failed ({Kind}); retrying at the next login")]
        public static partial void SyncFailed(ILogger logger, string kind);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar S-Series extension/list answered errno {Errno}; extension sync skipped")]
        public static partial void ListRefused(ILogger logger, string errno);
    }
}
