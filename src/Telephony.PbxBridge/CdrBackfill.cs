using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;

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

    /// <summary>Start of a backfill window that has not succeeded yet: kept across failures and restarts until it does.</summary>
    public const string PendingFileName = "backfill-from";

    private const int PageSize = 1000;
    private const int MaxPages = 1000;
    private const int MaxOpenCalls = 50_000;

    // Calls in progress when the socket dropped get their CDR stamped with their start time, before the last one seen.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstRunWindow = TimeSpan.FromHours(24);

    // See EndWindow.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    // A busy PBX ends several calls a second; the file needs to be roughly current, not rewritten per CDR.
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private bool loaded;
    private bool dirty;
    private string? lastSeenRaw;
    private DateTime lastSeenLocal;
    private DateTimeOffset lastPersistedAt;
    private DateTimeOffset? pendingFrom;
    private bool completedOnce;

    // Calls seen live without their CDR yet, by start (the call id's prefix is the start in Unix seconds, A8.1):
    // a long call that ends in a gap has its CDR stamped with a start older than the last CDR seen.
    private readonly Dictionary<string, long> openCalls = new(StringComparer.Ordinal);

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

    private string PendingPath => Path.Combine(options.Value.GetDataDirectory(), PendingFileName);

    /// <summary>Reads the call id of a 30011/30012 frame (msg is a JSON-encoded string, or an object — A5).</summary>
    public static bool TryReadCallId(JsonElement frame, out string callId)
    {
        callId = "";
        if (!frame.TryGetProperty("msg", out var msg))
        {
            return false;
        }

        try
        {
            if (msg.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(msg.GetString() ?? "");
                return TryReadString(inner.RootElement, "call_id", out callId);
            }

            return TryReadString(msg, "call_id", out callId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A call seen live: until its CDR is seen, a backfill window reaches back to its start.</summary>
    public void ObserveLiveCall(string callId)
    {
        if (!TryReadStart(callId, out var startUnix))
        {
            return;
        }

        lock (gate)
        {
            if (openCalls.Count < MaxOpenCalls)
            {
                openCalls.TryAdd(callId, startUnix);
            }
        }
    }

    /// <summary>A call's CDR was seen (live or backfilled): it no longer holds a window open.</summary>
    public void ObserveCdrFor(string callId)
    {
        lock (gate)
        {
            openCalls.Remove(callId);
        }
    }

    /// <summary>
    /// Where the next backfill starts: a window that failed before, else the last CDR seen minus the overlap
    /// (24 h on a first run), and never after the start of a call seen live whose CDR is missing. The start is
    /// saved as pending until <see cref="CompleteWindow"/>, so a failure or a restart retries the same gap.
    /// </summary>
    public DateTimeOffset BeginWindow(TimeZoneInfo zone, DateTimeOffset now)
    {
        var lastSeen = LastSeenInstant(zone);
        lock (gate)
        {
            EnsureLoadedLocked();
            var start = pendingFrom ?? (lastSeen is { } seen ? seen - Overlap : now - FirstRunWindow);

            // Calls open for over a day lost their CDR for good (or never had one); they must not pin the window.
            var horizon = (now - FirstRunWindow).ToUnixTimeSeconds();
            foreach (var stale in openCalls.Where(c => c.Value < horizon).Select(c => c.Key).ToList())
            {
                openCalls.Remove(stale);
            }

            if (openCalls.Count > 0)
            {
                var oldestOpen = DateTimeOffset.FromUnixTimeSeconds(openCalls.Values.Min()) - TimeSpan.FromMinutes(1);
                start = oldestOpen < start ? oldestOpen : start;
            }

            if (pendingFrom != start)
            {
                pendingFrom = start;
                WriteAtomically(PendingPath, start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            }

            return start;
        }
    }

    /// <summary>
    /// Where a backfill window ends: our now or the last CDR seen, whichever is later, plus an allowance, so a PBX clock
    /// ahead of ours (its CDR times are its own) does not hide its newest CDRs; until a window has completed, also the
    /// fleet's look-ahead (<see cref="PbxBridgeOptions.FirstBackfillLookAhead"/>).
    /// </summary>
    public DateTimeOffset EndWindow(TimeZoneInfo zone, DateTimeOffset now)
    {
        var lastSeen = LastSeenInstant(zone);
        bool first;
        lock (gate)
        {
            first = !completedOnce;
        }

        return (lastSeen is { } latest && latest > now ? latest : now) + ClockSkewAllowance + (first ? options.Value.FirstBackfillLookAhead : TimeSpan.Zero);
    }

    /// <summary>The window's CDRs are all in the spool: the next gap starts from the last CDR seen again.</summary>
    public void CompleteWindow()
    {
        lock (gate)
        {
            pendingFrom = null;
            completedOnce = true;
            try
            {
                File.Delete(PendingPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.StateIoFailed(logger, ex.Message);
            }
        }
    }

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
            var start = BeginWindow(zone, now);
            var end = EndWindow(zone, now);
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
                    if (TryReadString(row, "call_id", out var callId))
                    {
                        ObserveCdrFor(callId);
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
                Observe(local.ToString(TimeStartFormat, CultureInfo.InvariantCulture));
            }

            CompleteWindow();
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

    /// <summary>A non-empty string property of a JSON object (false for any other shape).</summary>
    internal static bool TryReadString(JsonElement element, string property, out string value)
    {
        value = "";
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String)
        {
            value = found.GetString() ?? "";
            return value.Length > 0;
        }

        return false;
    }

    private static bool TryReadStart(string callId, out long startUnix)
    {
        var dot = callId.IndexOf('.', StringComparison.Ordinal);
        return long.TryParse(dot < 0 ? callId : callId[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out startUnix) && startUnix > 0;
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
            if (File.Exists(PendingPath) && long.TryParse(File.ReadAllText(PendingPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pendingUnix))
            {
                pendingFrom = DateTimeOffset.FromUnixTimeSeconds(pendingUnix);
            }

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
            WriteAtomically(StatePath, lastSeenRaw ?? "");
            dirty = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.StateIoFailed(logger, ex.Message);
        }
    }

    // Write then rename, so a crash mid-write never leaves a half-written value behind.
    private void WriteAtomically(string path, string content)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
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

        [LoggerMessage(2, LogLevel.Warning, "CDR backfill failed ({Kind}: {Reason}); the same window is retried")]
        public static partial void BackfillFailed(ILogger logger, string kind, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar cdr/search answered errcode {Errcode} ({Errmsg}); the same window is retried")]
        public static partial void SearchRefused(ILogger logger, int errcode, string errmsg);

        [LoggerMessage(4, LogLevel.Warning, "Ignored a CDR time_start that is not yyyy-MM-dd HH:mm:ss: {TimeStart}")]
        public static partial void UnreadableTimeStart(ILogger logger, string timeStart);

        [LoggerMessage(5, LogLevel.Warning, "The remembered CDR time in {Path} is unreadable; backfilling the last 24 hours")]
        public static partial void StateUnreadable(ILogger logger, string path);

        [LoggerMessage(6, LogLevel.Warning, "Reading or writing the remembered CDR time failed: {Reason}")]
        public static partial void StateIoFailed(ILogger logger, string reason);
    }
}
