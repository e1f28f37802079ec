using System.Globalization;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.CatchUp;

/// <summary>
/// Where the CDRs the bridge has forwarded end, for both families' backfill: the newest CDR <c>time_start</c> seen
/// (live or backfilled), kept in a small file so a restarted bridge knows where the gap began, and the start of a
/// window that has not succeeded yet, kept until it does.
/// </summary>
internal sealed partial class CdrWatermark(
    LiveCallTracker liveCalls,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<CdrWatermark> logger)
{
    /// <summary>30012 <c>time_start</c>: PBX-local, no zone (A8.2).</summary>
    public const string TimeStartFormat = "yyyy-MM-dd HH:mm:ss";

    public const string StateFileName = "last-cdr-time";

    /// <summary>Start of a backfill window that has not succeeded yet: kept across failures and restarts until it does.</summary>
    public const string PendingFileName = "backfill-from";

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

    /// <summary>
    /// The link is being (re)established: what the PBX may have missed sending began at the last CDR seen before now,
    /// so that start is pinned here, as the pending window, before the new session's first live CDR moves the mark past
    /// the gap (a live CDR arriving while the extensions sync would otherwise start the backfill after the calls that
    /// ended unseen). Call it before subscribing (P-Series) or logging in (S-Series).
    /// </summary>
    public void MarkGap(TimeZoneInfo zone, DateTimeOffset now) => BeginWindow(zone, now);

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

            // A call seen live whose CDR is missing (it may have ended in the gap) holds the window open back to its start.
            if (liveCalls.OldestStart(now - FirstRunWindow) is { } oldestOpen && oldestOpen - TimeSpan.FromMinutes(1) < start)
            {
                start = oldestOpen - TimeSpan.FromMinutes(1);
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
        [LoggerMessage(4, LogLevel.Warning, "Ignored a CDR time_start that is not yyyy-MM-dd HH:mm:ss: {TimeStart}")]
        public static partial void UnreadableTimeStart(ILogger logger, string timeStart);

        [LoggerMessage(5, LogLevel.Warning, "The remembered CDR time in {Path} is unreadable; backfilling the last 24 hours")]
        public static partial void StateUnreadable(ILogger logger, string path);

        [LoggerMessage(6, LogLevel.Warning, "Reading or writing the remembered CDR time failed: {Reason}")]
        public static partial void StateIoFailed(ILogger logger, string reason);
    }
}
