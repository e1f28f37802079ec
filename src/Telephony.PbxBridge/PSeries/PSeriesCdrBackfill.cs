using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// Fetches the CDRs of calls that ended while the WebSocket was down (A5: events are not replayed) by paging cdr/search
/// (A11.2) over the <see cref="CdrWatermark"/>'s window, and forwards each row with source <c>cdr-backfill</c>.
/// Duplicates are fine: the API dedupes CDRs by call id.
/// </summary>
internal sealed partial class PSeriesCdrBackfill(
    PSeriesApiCaller pbx,
    ApiForwarder forwarder,
    CdrWatermark watermark,
    LiveCallTracker liveCalls,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<PSeriesCdrBackfill> logger) : ICdrBackfill
{
    public const string Source = "cdr-backfill";

    private const int PageSize = 1000;
    private const int MaxPages = 1000;

    /// <summary>
    /// Pages cdr/search from (last seen − 2 min, or 24 h ago) to now and forwards every row. Returns the number of rows
    /// forwarded, or null when it failed (logged, never thrown: the next subscribe tries again).
    /// </summary>
    public async Task<int?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var zone = options.Value.GetPbxTimeZone();
            var now = time.GetUtcNow();
            var start = watermark.BeginWindow(zone, now);
            var end = watermark.EndWindow(zone, now);
            var startUnix = start.ToUnixTimeSeconds();
            var endUnix = end.ToUnixTimeSeconds();

            var forwarded = 0;
            long? newest = null;
            for (var page = 1; page <= MaxPages; page++)
            {
                var current = page;
                var reply = await pbx.CallAsync(
                    (client, token, ct) => client.SearchCdrAsync(token, startUnix, endUnix, current, PageSize, ct), cancellationToken);
                if (reply.Errcode != YeastarErrorCodes.Success)
                {
                    Log.SearchRefused(logger, reply.Errcode, reply.Errmsg ?? "");
                    return null;
                }

                var rows = reply.Data ?? [];
                foreach (var row in rows.Where(r => r.ValueKind == JsonValueKind.Object))
                {
                    await forwarder.EnqueueAsync(row.GetRawText(), Source, cancellationToken);
                    forwarded++;
                    if (JsonFields.TryReadString(row, "call_id", out var callId))
                    {
                        liveCalls.ObserveCdrFor(callId);
                    }

                    if (row.TryGetProperty("timestamp", out var stamp) && stamp.TryGetInt64(out var unix) && (newest is null || unix > newest))
                    {
                        newest = unix;
                    }
                }

                if (rows.Count < PageSize || page * PageSize >= reply.TotalNumber)
                {
                    break;
                }
            }

            // Rows carry an unambiguous Unix timestamp (A11.1); as PBX-local text it moves the mark past this gap.
            if (newest is { } newestUnix)
            {
                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(newestUnix), zone).DateTime;
                watermark.Observe(local.ToString(CdrWatermark.TimeStartFormat, CultureInfo.InvariantCulture));
            }

            watermark.CompleteWindow();
            watermark.Flush();
            Log.Backfilled(logger, forwarded, start, end);
            return forwarded;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.BackfillFailed(logger, ex.GetType().Name, ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX"));
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "CDR backfill forwarded {Count} CDRs from {Start:O} to {End:O}")]
        public static partial void Backfilled(ILogger logger, int count, DateTimeOffset start, DateTimeOffset end);

        [LoggerMessage(2, LogLevel.Warning, "CDR backfill failed ({Kind}: {Reason}); the same window is retried")]
        public static partial void BackfillFailed(ILogger logger, string kind, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar cdr/search answered errcode {Errcode} ({Errmsg}); the same window is retried")]
        public static partial void SearchRefused(ILogger logger, int errcode, string errmsg);
    }
}
