using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.Spool;

/// <summary>
/// The write-ahead log of PBX frames not yet accepted by the API (design.md §6): durable and append-only, so a bridge
/// crash or restart loses nothing it had received. Files in the spool directory:
/// <list type="bullet">
/// <item><c>{firstSeq:D19}.seg</c> — segments of records in the <see cref="SpoolRecordFormat"/>;</item>
/// <item><c>acked</c> — the <see cref="SpoolCheckpoint"/>.</item>
/// </list>
/// Appends are group-committed: whoever finds no flush running writes every pending record and fsyncs once, the
/// others wait for that fsync. Only fsync'd records are handed to the single reader (the forwarder).
/// </summary>
internal sealed partial class FrameSpool : IDisposable
{
    public const string MeterName = "Telephony.PbxBridge";
    public const string SpoolFolder = "spool";

    private const string SegmentExtension = ".seg";
    private const long DefaultSegmentBytes = 4 * 1024 * 1024;
    private const double NearFullRatio = 0.8;

    private readonly string directory;
    private readonly long maxBytes;
    private readonly long segmentBytes;
    private readonly ILogger logger;
    private readonly SpoolCheckpoint checkpoint;
    private readonly Meter? ownedMeter;
    private readonly Lock gate = new();
    private readonly Lock checkpointGate = new();

    // Oldest first. Each segment's Length/LastSeq cover only fsync'd records, which is all the reader may see.
    private readonly List<Segment> segments = [];

    // Guarded by gate.
    private List<PendingRecord> pending = [];
    private TaskCompletionSource commit = NewSignal();
    private TaskCompletionSource dataAvailable = NewSignal();
    private TaskCompletionSource spaceFreed = NewSignal();
    private bool flushing;
    private long lastSeq;
    private long acked;
    private long totalBytes;
    private bool nearFull;
    private bool fullReported;
    private bool disposed;

    // Owned by the flushing thread (only one at a time).
    private Segment? active;
    private FileStream? writer;

    // Owned by the single reader.
    private Segment? readSegment;
    private long readOffset;
    private SafeFileHandle? readHandle;
    private long lastReadSeq;

    public FrameSpool(IOptions<PbxBridgeOptions> options, TimeProvider time, ILogger<FrameSpool> logger, IMeterFactory meterFactory)
        : this(
            Path.Combine(options.Value.GetDataDirectory(), SpoolFolder),
            options.Value.SpoolMaxBytes,
            Math.Clamp(options.Value.SpoolMaxBytes / 8, 64 * 1024, DefaultSegmentBytes),
            time,
            logger,
            meterFactory)
    {
    }

    internal FrameSpool(string directory, long maxBytes, long segmentBytes, TimeProvider time, ILogger logger, IMeterFactory? meterFactory = null)
    {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.logger = logger;
        checkpoint = new SpoolCheckpoint(directory, logger);
        Directory.CreateDirectory(directory);
        Recover();

        // Seqs keep growing across restarts: continue after the spool, or from the clock if that is further on.
        lastSeq = Math.Max(Math.Max(lastSeq, acked), time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        lastReadSeq = acked;
        UpdatePressure();

        Meter = meterFactory?.Create(MeterName) ?? (ownedMeter = new Meter(MeterName));
        Meter.CreateObservableGauge("telephony.bridge.spool.bytes", () => Volatile.Read(ref totalBytes), "By",
            "Bytes of PBX frames in the bridge spool (including appends waiting for fsync).");
        Meter.CreateObservableGauge("telephony.bridge.spool.near_full", () => IsNearFull ? 1 : 0, null,
            "1 while the bridge spool is at or above 80% of BRIDGE_SPOOL_MAX_BYTES.");
    }

    internal Meter Meter { get; }

    public string DirectoryPath => directory;

    public long TotalBytes => Volatile.Read(ref totalBytes);

    public bool IsNearFull
    {
        get
        {
            lock (gate)
            {
                return nearFull;
            }
        }
    }

    public long AcknowledgedSeq
    {
        get
        {
            lock (gate)
            {
                return acked;
            }
        }
    }

    internal int SegmentCount
    {
        get
        {
            lock (gate)
            {
                return segments.Count;
            }
        }
    }

    /// <summary>Appends a frame and returns once it is fsync'd; waits (never drops) while the spool is full.</summary>
    public async ValueTask<long> AppendAsync(string frame, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (seq, done, wait, lead) = TryReserve(frame, source, receivedAt);
            if (wait is not null)
            {
                await wait.WaitAsync(cancellationToken);
                continue;
            }

            if (lead)
            {
                FlushPending();
            }

            await done!;
            return seq;
        }
    }

    /// <summary>Waits until durable records follow the last one read, then returns up to <paramref name="max"/> of them in seq order.</summary>
    public async ValueTask<IReadOnlyList<ForwardedFrame>> ReadAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (HasUnreadLocked())
                {
                    break;
                }

                signal = dataAvailable.Task;
            }

            await signal.WaitAsync(cancellationToken);
        }

        return TryRead(max);
    }

    /// <summary>Returns up to <paramref name="max"/> durable records after the last one read (possibly none); single reader only.</summary>
    public IReadOnlyList<ForwardedFrame> TryRead(int max)
    {
        var frames = new List<ForwardedFrame>(Math.Min(max, 256));
        while (frames.Count < max)
        {
            Segment segment;
            long limit;
            lock (gate)
            {
                if (!AdvanceReadSegmentLocked())
                {
                    break;
                }

                segment = readSegment!;
                limit = segment.Length;
            }

            if (readOffset >= limit)
            {
                break;
            }

            readHandle ??= File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            while (frames.Count < max && readOffset < limit)
            {
                var record = SpoolRecordFormat.Read(readHandle, readOffset, limit);
                if (record is null)
                {
                    // Verified at start-up or written by this process and fsync'd: only a failing disk gets here.
                    Log.UnreadableRecord(logger, segment.Path, readOffset);
                    readOffset = limit;
                    lock (gate)
                    {
                        lastReadSeq = Math.Max(lastReadSeq, segment.LastSeq);
                    }

                    break;
                }

                readOffset += record.Value.Size;
                if (record.Value.Frame.Seq > lastReadSeq)
                {
                    lastReadSeq = record.Value.Frame.Seq;
                    frames.Add(record.Value.Frame);
                }
            }
        }

        return frames;
    }

    /// <summary>
    /// Records that the API accepted every seq up to <paramref name="seq"/>: writes the checkpoint atomically, deletes
    /// segments that hold nothing newer, and wakes an appender waiting for space.
    /// </summary>
    public void Acknowledge(long seq)
    {
        lock (checkpointGate)
        {
            lock (gate)
            {
                if (seq <= acked || disposed)
                {
                    return;
                }
            }

            checkpoint.Write(seq);
            var obsolete = new List<Segment>();
            lock (gate)
            {
                acked = seq;
                while (segments.Count > 0 && segments[0] != active && segments[0].LastSeq <= seq)
                {
                    obsolete.Add(segments[0]);
                    segments.RemoveAt(0);
                }
            }

            foreach (var segment in obsolete)
            {
                File.Delete(segment.Path);
            }

            if (obsolete.Count > 0)
            {
                TaskCompletionSource freed;
                lock (gate)
                {
                    totalBytes -= obsolete.Sum(s => s.Length);
                    UpdatePressure();
                    freed = spaceFreed;
                    spaceFreed = NewSignal();
                }

                freed.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        TaskCompletionSource data;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            data = dataAvailable;
        }

        data.TrySetResult();
        writer?.Dispose();
        readHandle?.Dispose();
        ownedMeter?.Dispose();
    }

    private (long Seq, Task? Done, Task? Wait, bool Lead) TryReserve(string frame, string source, DateTimeOffset receivedAt)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var seq = lastSeq + 1;
            var bytes = SpoolRecordFormat.Encode(seq, receivedAt, source, frame);

            // An oversized frame is still taken into an empty spool, or it would wait forever.
            if (totalBytes > 0 && totalBytes + bytes.Length > maxBytes)
            {
                if (!fullReported)
                {
                    fullReported = true;
                    Log.SpoolFull(logger, totalBytes, maxBytes, directory);
                }

                return (0, null, spaceFreed.Task, false);
            }

            if (fullReported)
            {
                fullReported = false;
                Log.SpoolResumed(logger, totalBytes, maxBytes);
            }

            lastSeq = seq;
            totalBytes += bytes.Length;
            pending.Add(new PendingRecord(seq, bytes));
            UpdatePressure();
            var lead = !flushing;
            flushing = true;
            return (seq, commit.Task, null, lead);
        }
    }

    // Group commit: runs on the appender that found no flush in progress until nothing is pending.
    private void FlushPending()
    {
        while (true)
        {
            List<PendingRecord> batch;
            TaskCompletionSource done;
            lock (gate)
            {
                if (pending.Count == 0 || disposed)
                {
                    flushing = false;
                    if (disposed)
                    {
                        commit.TrySetException(new ObjectDisposedException(nameof(FrameSpool)));
                    }

                    return;
                }

                batch = pending;
                pending = [];
                done = commit;
                commit = NewSignal();
            }

            var written = 0;
            try
            {
                foreach (var record in batch)
                {
                    if (writer is null || (active!.WrittenLength > 0 && active.WrittenLength + record.Bytes.Length > segmentBytes))
                    {
                        Seal();
                        OpenSegment(record.Seq);
                    }

                    writer!.Write(record.Bytes);
                    active!.WrittenLength += record.Bytes.Length;
                    active.PendingLastSeq = record.Seq;
                    written++;
                }

                writer!.Flush(flushToDisk: true);
                Publish(active!);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the waiting appenders must hear of it, or the receive loop would hang.
                Log.AppendFailed(logger, batch.Count, directory, ex.Message);
                AbandonActive(batch.Skip(written).Sum(r => r.Bytes.Length));
                done.TrySetException(ex);
            }
        }
    }

    private void OpenSegment(long firstSeq)
    {
        var segment = new Segment(Path.Combine(directory, firstSeq.ToString("D19", CultureInfo.InvariantCulture) + SegmentExtension), firstSeq);
        writer = new FileStream(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
        lock (gate)
        {
            active = segment;
            segments.Add(segment);
        }
    }

    // Makes the active segment's fsync'd records readable and closes it; new records go to a new segment.
    private void Seal()
    {
        if (writer is null || active is null)
        {
            return;
        }

        writer.Flush(flushToDisk: true);
        Publish(active);
        writer.Dispose();
        writer = null;
        lock (gate)
        {
            active = null;
        }
    }

    private void Publish(Segment segment)
    {
        TaskCompletionSource data;
        lock (gate)
        {
            segment.Length = segment.WrittenLength;
            segment.LastSeq = segment.PendingLastSeq;
            data = dataAvailable;
            dataAvailable = NewSignal();
        }

        data.TrySetResult();
    }

    // After a failed write the segment ends at its last fsync'd record; the records that never made it are not counted.
    private void AbandonActive(long unwrittenBytes)
    {
        if (active is not null)
        {
            try
            {
                writer?.SetLength(active.Length);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Log.AppendFailed(logger, 0, active.Path, ex.Message);
            }

            lock (gate)
            {
                totalBytes -= active.WrittenLength - active.Length;
                active.WrittenLength = active.Length;
                active.PendingLastSeq = active.LastSeq;
            }
        }

        try
        {
            writer?.Dispose();
        }
        catch (IOException)
        {
        }

        writer = null;
        lock (gate)
        {
            active = null;
            totalBytes -= unwrittenBytes;
            UpdatePressure();
        }
    }

    private bool HasUnreadLocked() => segments.Exists(s => s.LastSeq > lastReadSeq);

    // Moves the read cursor to the segment holding the next unread record (a deleted one is simply left behind);
    // false when no fsync'd record follows the last one read.
    private bool AdvanceReadSegmentLocked()
    {
        if (readSegment is not null && readOffset < readSegment.Length && segments.Contains(readSegment))
        {
            return true;
        }

        var next = segments.Find(s => s.LastSeq > lastReadSeq);
        if (next is null)
        {
            return false;
        }

        if (next != readSegment)
        {
            SwitchReadSegment(next);
        }

        return readOffset < next.Length;
    }

    private void SwitchReadSegment(Segment segment)
    {
        readHandle?.Dispose();
        readHandle = null;
        readSegment = segment;
        readOffset = 0;
    }

    private void UpdatePressure()
    {
        var threshold = (long)(maxBytes * NearFullRatio);
        if (!nearFull && totalBytes >= threshold)
        {
            nearFull = true;
            Log.NearFull(logger, totalBytes, maxBytes, directory);
        }
        else if (nearFull && totalBytes < threshold)
        {
            nearFull = false;
            Log.NoLongerNearFull(logger, totalBytes, maxBytes);
        }
    }

    // Reads the checkpoint and every segment, truncates a torn tail, and drops what was already acknowledged.
    private void Recover()
    {
        acked = checkpoint.Read();
        var files = Directory.GetFiles(directory, "*" + SegmentExtension)
            .Select(path => (Path: path, Ok: long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var first), First: first))
            .OrderBy(f => f.First)
            .ToList();
        var previousSeq = 0L;
        var unacknowledged = 0;
        foreach (var file in files)
        {
            if (!file.Ok)
            {
                Log.ForeignFile(logger, file.Path);
                continue;
            }

            var segment = new Segment(file.Path, file.First);
            using (var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete))
            {
                var fileLength = RandomAccess.GetLength(handle);
                var offset = 0L;
                while (offset < fileLength && SpoolRecordFormat.Read(handle, offset, fileLength) is { } record && record.Frame.Seq > previousSeq)
                {
                    offset += record.Size;
                    previousSeq = record.Frame.Seq;
                    segment.LastSeq = record.Frame.Seq;
                    if (record.Frame.Seq > acked)
                    {
                        unacknowledged++;
                    }
                }

                if (offset < fileLength)
                {
                    // A crash mid-append leaves a partial or garbled record; everything before it is intact.
                    Log.TornTail(logger, file.Path, offset, fileLength);
                    RandomAccess.SetLength(handle, offset);
                    RandomAccess.FlushToDisk(handle);
                }

                segment.Length = segment.WrittenLength = offset;
                segment.PendingLastSeq = segment.LastSeq;
            }

            if (segment.Length == 0 || segment.LastSeq <= acked)
            {
                File.Delete(file.Path);
                continue;
            }

            segments.Add(segment);
            totalBytes += segment.Length;
        }

        lastSeq = previousSeq;
        if (unacknowledged > 0)
        {
            Log.Recovered(logger, unacknowledged, segments.Count, totalBytes, directory);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record PendingRecord(long Seq, byte[] Bytes);

    private sealed class Segment(string path, long firstSeq)
    {
        public string Path { get; } = path;

        public long FirstSeq { get; } = firstSeq;

        /// <summary>Bytes fsync'd (what the reader may read).</summary>
        public long Length { get; set; }

        /// <summary>Seq of the last fsync'd record.</summary>
        public long LastSeq { get; set; } = firstSeq - 1;

        /// <summary>Bytes written, fsync'd or not (flushing thread only).</summary>
        public long WrittenLength { get; set; }

        public long PendingLastSeq { get; set; } = firstSeq - 1;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Frame spool is {Bytes} of {MaxBytes} bytes (80% or more) in {Directory}: the API is not accepting frames fast enough; when full, the PBX reader will wait")]
        public static partial void NearFull(ILogger logger, long bytes, long maxBytes, string directory);

        [LoggerMessage(2, LogLevel.Information, "Frame spool is below 80% again ({Bytes} of {MaxBytes} bytes)")]
        public static partial void NoLongerNearFull(ILogger logger, long bytes, long maxBytes);

        [LoggerMessage(3, LogLevel.Error, "Frame spool is full ({Bytes} of {MaxBytes} bytes, BRIDGE_SPOOL_MAX_BYTES) in {Directory}: pausing the PBX reader (nothing is dropped) until the API accepts spooled frames")]
        public static partial void SpoolFull(ILogger logger, long bytes, long maxBytes, string directory);

        [LoggerMessage(4, LogLevel.Information, "Frame spool has room again ({Bytes} of {MaxBytes} bytes); the PBX reader continues")]
        public static partial void SpoolResumed(ILogger logger, long bytes, long maxBytes);

        [LoggerMessage(5, LogLevel.Warning, "Frame spool segment {Path} ended in a torn record at byte {Offset} of {Length} (crash mid-write); truncated, earlier records kept")]
        public static partial void TornTail(ILogger logger, string path, long offset, long length);

        [LoggerMessage(6, LogLevel.Information, "Frame spool in {Directory} holds {Count} frames not yet accepted by the API ({Segments} segments, {Bytes} bytes); they are sent first")]
        public static partial void Recovered(ILogger logger, int count, int segments, long bytes, string directory);

        [LoggerMessage(7, LogLevel.Error, "Appending {Count} frames to the spool in {Directory} failed: {Reason}")]
        public static partial void AppendFailed(ILogger logger, int count, string directory, string reason);

        [LoggerMessage(8, LogLevel.Error, "Frame spool segment {Path} has an unreadable record at byte {Offset}; skipping the rest of that segment")]
        public static partial void UnreadableRecord(ILogger logger, string path, long offset);

        [LoggerMessage(10, LogLevel.Warning, "Ignoring {Path} in the frame spool directory: not a segment name")]
        public static partial void ForeignFile(ILogger logger, string path);
    }
}
