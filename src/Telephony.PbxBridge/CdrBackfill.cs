using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge;

/// <summary>
/// Fetches the CDRs of calls that ended while the WebSocket was down (A5: events are not replayed) from cdr/search
/// (A11.2) and forwards each row with source <c>cdr-backfill</c>. It remembers the newest 30012 <c>time_start</c> it
/// forwarded in a small file, so a restarted bridge knows where the gap began. Duplicates are fine: the API dedupes
/// CDRs by call id.
/// </summary>
internal sealed partial class CdrBackfill(
    OpenApiCaller pbx,
    ApiForwarder forwarder,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<CdrBackfill> logger)
{
    public const string Source = "cdr-backfill";

    /// <summary>30012 <c>time_start</c>: PBX-local, no zone (A8.2).</summary>
    public const string TimeStartFormat = "yyyy-MM-dd HH:mm:ss";

    public const string StateFileName = "last-cdr-time";

    private const int PageSize = 1000;
    private const int MaxPages = 1000;

    // Calls in progress when the socket dropped get their CDR stamped with their start time, before the last one seen.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstRunWindow = TimeSpan.FromHours(24);

    // end_time is "now" plus this: a PBX clock a little ahead of ours must not hide its newest CDRs.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    // A busy PBX ends several calls a second; the file needs to be roughly current, not rewritten per CDR.
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private bool loaded;
    private bool dirty;
    private string? lastSeenRaw;
    private DateTime lastSeenLocal;
    private DateTimeOffset lastPersistedAt;

    /// <summary>The newest CDR time_start forwarded (raw PBX text), or null when none is known yet.</summary>
    public string? LastSeen
    {
        get
        {
            lock (gate)
            {
                EnsureLoadedLocked();
                return lastSeenRaw;
            }
        }
    }

    private string StatePath => Path.Combine(options.Value.GetDataDirectory(), StateFileName);

    /// <summary>Reads time_start from a forwarded 30012 frame (msg is a JSON-encoded string, or an object — A5).</summary>
    public static bool TryReadTimeStart(JsonElement frame, out string timeStart)
    {
        timeStart = "";
        if (!frame.TryGetProperty("msg", out var msg))
        {
            return false;
        }

        if (msg.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(msg.GetString() ?? "");
                return TryReadTimeStartFromMsg(inner.RootElement, out timeStart);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return TryReadTimeStartFromMsg(msg, out timeStart);
    }

    /// <summary>Remembers a forwarded CDR's time_start when it is the newest so far.</summary>
    public void Observe(string timeStart)
    {
        if (!TryParseLocal(timeStart, out var local))
        {
            Log.UnreadableTimeStart(logger, timeStart.Length > 40 ? timeStart[..40] : timeStart);
            return;
        }

        lock (gate)
        {
            EnsureLoadedLocked();
            if (lastSeenRaw is not null && local <= lastSeenLocal)
            {
                return;
            }

            lastSeenRaw = timeStart;
            lastSeenLocal = local;
            dirty = true;
            if (time.GetUtcNow() - lastPersistedAt >= PersistEvery)
            {
                PersistLocked();
            }
        }
    }

    /// <summary>Writes the remembered time if it changed since the last write (on shutdown).</summary>
    public void Flush()
    {
        lock (gate)
        {
            if (dirty)
            {
                PersistLocked();
            }
        }
    }

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
            var lastSeen = LastSeenInstant(zone);
            var start = lastSeen is { } seen ? seen - Overlap : now - FirstRunWindow;
            var end = (lastSeen is { } latest && latest > now ? latest : now) + ClockSkewAllowance;
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
                    forwarder.Enqueue(row.GetRawText(), Source);
                    forwarded++;
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
                Observe(local.ToString(TimeStartFormat, CultureInfo.InvariantCulture));
            }

            Flush();
            Log.Backfilled(logger, forwarded, start, end);
            return forwarded;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.BackfillFailed(logger, ex.GetType().Name, ex is YeastarApiException ? ex.Message : "see the exception type");
            return null;
        }
    }

    private static bool TryReadTimeStartFromMsg(JsonElement msg, out string timeStart)
    {
        timeStart = "";
        if (msg.ValueKind == JsonValueKind.Object && msg.TryGetProperty("time_start", out var value) && value.ValueKind == JsonValueKind.String)
        {
            timeStart = value.GetString() ?? "";
            return timeStart.Length > 0;
        }

        return false;
    }

    private static bool TryParseLocal(string text, out DateTime local) =>
        DateTime.TryParseExact(text.Trim(), TimeStartFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    private DateTimeOffset? LastSeenInstant(TimeZoneInfo zone)
    {
        DateTime local;
        lock (gate)
        {
            EnsureLoadedLocked();
            if (lastSeenRaw is null)
            {
                return null;
            }

            local = lastSeenLocal;
        }

        // A wall-clock time skipped by a DST jump does not exist; an hour earlier does, and starting early is harmless.
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(-1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    private void EnsureLoadedLocked()
    {
        if (loaded)
        {
            return;
        }

        loaded = true;
        try
        {
            var path = StatePath;
            if (!File.Exists(path))
            {
                return;
            }

            var text = File.ReadAllText(path).Trim();
            if (TryParseLocal(text, out var local))
            {
                lastSeenRaw = text;
                lastSeenLocal = local;
            }
            else
            {
                Log.StateUnreadable(logger, path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.StateIoFailed(logger, ex.Message);
        }
    }

    private void PersistLocked()
    {
        lastPersistedAt = time.GetUtcNow();
        try
        {
            var path = StatePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Write then rename, so a crash mid-write never leaves a half-written time behind.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, lastSeenRaw);
            File.Move(temporary, path, overwrite: true);
            dirty = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.StateIoFailed(logger, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "CDR backfill forwarded {Count} CDRs from {Start:O} to {End:O}")]
        public static partial void Backfilled(ILogger logger, int count, DateTimeOffset start, DateTimeOffset end);

        [LoggerMessage(2, LogLevel.Warning, "CDR backfill failed ({Kind}: {Reason}); retrying at the next subscribe")]
        public static partial void BackfillFailed(ILogger logger, string kind, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar cdr/search answered errcode {Errcode} ({Errmsg}); CDR backfill skipped")]
        public static partial void SearchRefused(ILogger logger, int errcode, string errmsg);

        [LoggerMessage(4, LogLevel.Warning, "Ignored a CDR time_start that is not yyyy-MM-dd HH:mm:ss: {TimeStart}")]
        public static partial void UnreadableTimeStart(ILogger logger, string timeStart);

        [LoggerMessage(5, LogLevel.Warning, "The remembered CDR time in {Path} is unreadable; backfilling the last 24 hours")]
        public static partial void StateUnreadable(ILogger logger, string path);

        [LoggerMessage(6, LogLevel.Warning, "Reading or writing the remembered CDR time failed: {Reason}")]
        public static partial void StateIoFailed(ILogger logger, string reason);
    }
}
