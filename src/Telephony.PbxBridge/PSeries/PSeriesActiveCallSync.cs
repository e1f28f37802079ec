using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// After a gap, tells the API which calls the PBX still has (call/query, A9), so a call whose BYE was lost
/// while the link was down is closed instead of staying active forever.
/// </summary>
internal sealed partial class PSeriesActiveCallSync(
    PSeriesApiCaller pbx,
    TelephonyApiClient api,
    IOptions<PbxBridgeOptions> options,
    ILogger<PSeriesActiveCallSync> logger)
{
    private static readonly string[] CallTypes = ["inbound", "outbound", "internal"];

    /// <summary>Sends the snapshot; any PBX error skips it (a partial list would close live calls).</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var callIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in CallTypes)
            {
                var reply = await pbx.CallAsync((client, token, ct) => client.QueryCallsByTypeAsync(token, type, ct), cancellationToken);
                if (reply.Errcode != YeastarErrorCodes.Success)
                {
                    QueryRefused(logger, type, reply.Errcode);
                    return false;
                }

                callIds.UnionWith((reply.Data ?? []).Select(c => c.CallId).OfType<string>());
            }

            await api.PutActiveCallsAsync(options.Value.TelephonyPbxId, [.. callIds], cancellationToken);
            Synced(logger, callIds.Count);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            SyncFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Told the API the PBX has {Count} live calls")]
    private static partial void Synced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "call/query type={Type} answered errcode {Errcode}; active calls not reconciled this time")]
    private static partial void QueryRefused(ILogger logger, string type, int errcode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Active-call reconciliation failed ({Kind}); it runs again at the next subscribe")]
    private static partial void SyncFailed(ILogger logger, string kind);
}
