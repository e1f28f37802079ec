using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// S-Series catch-up after each login (api.md B6): <c>cdr/get_random</c> for the gap, then the CSV download, each row
/// forwarded as a <c>NewCdr</c>-shaped body (the B3 field names, including "callduraction") with source
/// <c>s-series-cdr-backfill</c>, which the API parses like a pushed NewCdr. The gap starts two minutes before the
/// newest CDR seen (the <see cref="CdrWatermark"/> keeps it on disk), or 24 hours back on a first run.
/// </summary>
internal sealed partial class SSeriesCdrBackfill(
    SSeriesSession session,
    ApiForwarder forwarder,
    CdrWatermark mark,
    LiveCallTracker liveCalls,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<SSeriesCdrBackfill> logger) : ICdrBackfill
{
    public const string Source = "s-series-cdr-backfill";

    /// <summary>Forwards the gap's CDRs; the count, or null when it failed (logged, never thrown).</summary>
    public async Task<int?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var zone = options.Value.GetPbxTimeZone();
            var now = time.GetUtcNow();
            var startLocal = TimeZoneInfo.ConvertTime(mark.BeginWindow(zone, now), zone).DateTime;
            var start = startLocal.ToString(CdrWatermark.TimeStartFormat, CultureInfo.InvariantCulture);
            var end = TimeZoneInfo.ConvertTime(mark.EndWindow(zone, now), zone).DateTime.ToString(CdrWatermark.TimeStartFormat, CultureInfo.InvariantCulture);

            var grant = await session.CallAsync((client, token, ct) => client.CdrRandomAsync(token, start, end, ct), cancellationToken);
            if (!grant.IsSuccess)
            {
                // B7 20021 "CDR does not exist": nothing happened in the gap.
                if (grant.ErrnoValue == SSeriesErrorCodes.CdrNotFound)
                {
                    mark.CompleteWindow();
                    Log.Backfilled(logger, 0, start, end);
                    return 0;
                }

                Log.Refused(logger, "cdr/get_random", grant.Errno ?? "");
                return null;
            }

            var (csv, error) = await session.DownloadCdrAsync(start, end, grant.Random ?? "", cancellationToken);
            if (csv is null)
            {
                Log.Refused(logger, "cdr/download", error?.Errno ?? "");
                return null;
            }

            var forwarded = 0;
            string? newest = null;
            foreach (var frame in ToNewCdrFrames(csv))
            {
                await forwarder.EnqueueAsync(frame.Json, Source, cancellationToken);
                forwarded++;
                if (frame.CallId is { } callId)
                {
                    liveCalls.ObserveCdrFor(callId);
                }

                if (frame.TimeStart is { } ts && (newest is null || string.CompareOrdinal(ts, newest) > 0))
                {
                    newest = ts;
                }
            }

            if (newest is not null)
            {
                mark.Observe(newest);
            }

            mark.CompleteWindow();
            mark.Flush();
            Log.Backfilled(logger, forwarded, start, end);
            return forwarded;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, ex.GetType().Name, ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX"));
            return null;
        }
    }

    /// <summary>
    /// CSV (header row + rows, RFC 4180 quoting) → NewCdr bodies: <c>"event":"NewCdr"</c> first, then every column by
    /// its header name as a string. The v2 CSV column list is UNKNOWN (Part D); header names are used as they come.
    /// </summary>
    internal static IEnumerable<(string Json, string? TimeStart, string? CallId)> ToNewCdrFrames(string csv)
    {
        var rows = ParseCsv(csv);
        if (rows.Count < 2)
        {
            yield break;
        }

        var header = rows[0].Select(h => h.Trim()).ToList();
        foreach (var row in rows.Skip(1).Where(r => r.Count > 1 || (r.Count == 1 && r[0].Length > 0)))
        {
            using var buffer = new MemoryStream();
            string? timeStart = null;
            string? callId = null;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("event", "NewCdr");
                for (var i = 0; i < header.Count && i < row.Count; i++)
                {
                    if (header[i].Length == 0 || string.Equals(header[i], "event", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    writer.WriteString(header[i], row[i]);
                    if (string.Equals(header[i], "timestart", StringComparison.OrdinalIgnoreCase))
                    {
                        timeStart = row[i];
                    }
                    else if (string.Equals(header[i], "callid", StringComparison.OrdinalIgnoreCase) && row[i].Length > 0)
                    {
                        callId = row[i];
                    }
                }

                writer.WriteEndObject();
            }

            yield return (Encoding.UTF8.GetString(buffer.ToArray()), timeStart, callId);
        }
    }

    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "S-Series CDR backfill forwarded {Count} CDRs from {Start} to {End} (PBX time)")]
        public static partial void Backfilled(ILogger logger, int count, string start, string end);

        [LoggerMessage(2, LogLevel.Warning, "Yeastar S-Series {Operation} answered errno {Errno}; CDR backfill skipped until the next login")]
        public static partial void Refused(ILogger logger, string operation, string errno);

        [LoggerMessage(3, LogLevel.Warning, "S-Series CDR backfill failed ({Kind}: {Reason}); retrying at the next login")]
        public static partial void Failed(ILogger logger, string kind, string reason);
    }
}
