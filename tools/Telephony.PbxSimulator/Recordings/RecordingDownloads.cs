using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Telephony.PbxSimulator.Recordings;

// The audio transfer both families end in: the fault switches that act on it (PbxFaults.FailRecordingDownloads,
// RecordingDownloadsOneAtATime, RecordingDownloadDelay) and the count of completed downloads per file.
internal sealed class RecordingDownloads(PbxFaults faults)
{
    private readonly ConcurrentDictionary<string, int> _completed = new(StringComparer.Ordinal);
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int CompletedCount(string fileName) => _completed.TryGetValue(fileName, out var count) ? count : 0;

    // Fault switch FailRecordingDownloads: the PBX's web server is unwell before it looks at the request, so nothing
    // (an S-Series random included) is used up; a client should retry.
    public bool TryFailInjected(HttpContext context)
    {
        if (!faults.TryConsumeRecordingDownloadFailure())
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return true;
    }

    // A4: with mp3 recordings only one download may run at a time; under RecordingDownloadsOneAtATime a second
    // concurrent one is refused (false) instead of queued. Call End after a true.
    public bool TryBegin()
    {
        var now = Interlocked.Increment(ref _inFlight);
        if (now > 1 && faults.RecordingDownloadsOneAtATime)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    public void End() => Interlocked.Decrement(ref _inFlight);

    // Sends the WAV and counts it as a completed download.
    public async Task SendAsync(HttpContext context, RecordedCall recording)
    {
        try
        {
            if (faults.RecordingDownloadDelay is { Ticks: > 0 } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            var audio = recording.Audio();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "audio/wav";
            context.Response.ContentLength = audio.Length;
            context.Response.Headers.ContentDisposition = $"attachment; filename={recording.FileName}";
            // Counted before the last byte goes out, so a client that holds the whole file already sees the count; a
            // client that drops off before it gets that byte is not counted.
            await context.Response.Body.WriteAsync(audio.AsMemory(0, audio.Length - 1), context.RequestAborted);
            _completed.AddOrUpdate(recording.FileName, 1, (_, count) => count + 1);
            try
            {
                await context.Response.Body.WriteAsync(audio.AsMemory(audio.Length - 1), context.RequestAborted);
                await context.Response.CompleteAsync();
            }
            catch
            {
                _completed.AddOrUpdate(recording.FileName, 0, (_, count) => count - 1);
                throw;
            }
        }
        finally
        {
            End();
        }
    }
}
