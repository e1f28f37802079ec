using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// Copies the PBX's extension list (A10) to the API after each subscribe and after a 30022 extension-config event,
/// so the dashboard knows names, registration and presence without a PBX of its own.
/// </summary>
internal sealed partial class PSeriesExtensionSync(
    PSeriesApiCaller pbx,
    TelephonyApiClient api,
    IOptions<PbxBridgeOptions> options,
    ILogger<PSeriesExtensionSync> logger) : IExtensionSync
{
    private const int PageSize = 1000;
    private const int MaxPages = 100;

    /// <summary>Fetches every page and replaces the API's list; failures are logged, never thrown (the next subscribe retries).</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var extensions = await FetchAsync(cancellationToken);
            if (extensions is null)
            {
                return false;
            }

            await api.PutExtensionsAsync(options.Value.TelephonyPbxId, extensions, cancellationToken);
            Log.Synced(logger, extensions.Count);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SyncFailed(logger, ex.GetType().Name, ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX or API"));
            return false;
        }
    }

    private async Task<List<ExtensionSyncItem>?> FetchAsync(CancellationToken cancellationToken)
    {
        var extensions = new List<ExtensionSyncItem>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var current = page;
            var reply = await pbx.CallAsync((client, token, ct) => client.ListExtensionsAsync(token, current, PageSize, ct), cancellationToken);
            if (reply.Errcode != YeastarErrorCodes.Success)
            {
                Log.ListRefused(logger, reply.Errcode, reply.Errmsg ?? "");
                return null;
            }

            var rows = reply.Data ?? [];
            extensions.AddRange(rows.Where(r => !string.IsNullOrWhiteSpace(r.Number)).Select(ToItem));
            if (rows.Count < PageSize || page * PageSize >= reply.TotalNumber)
            {
                break;
            }
        }

        return extensions;
    }

    // A10: online_status has one entry per device kind; the extension is registered when any of them reports status 1.
    internal static ExtensionSyncItem ToItem(PSeriesClient.ExtensionInfo row) => new(
        row.Number!.Trim(),
        row.CallerIdName,
        row.OnlineStatus?.Values.Any(s => s?.Status == 1) == true,
        row.PresenceStatus);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Synced {Count} extensions to the API")]
        public static partial void Synced(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Extension sync failed ({Kind}: {Reason}); retrying at the next subscribe")]
        public static partial void SyncFailed(ILogger logger, string kind, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar extension/list answered errcode {Errcode} ({Errmsg}); extension sync skipped")]
        public static partial void ListRefused(ILogger logger, int errcode, string errmsg);
    }
}
