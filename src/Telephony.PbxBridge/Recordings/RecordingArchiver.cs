using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.Recordings;

/// <summary>
/// Archives the PBX's call recordings (issue 13): asks the API which ones it still wants (a recording is registered there
/// when its call's CDR is logged, whichever way the CDR came: live, backfill, replay), downloads each from the PBX into
/// the bridge's data folder, uploads it, and deletes the copy once the API has it. A download is kept on disk until it
/// is uploaded, so an API outage or a restart never costs a second download. A failed download backs off per recording
/// (the PBX may be busy with that file); a failed upload ends the pass (the API is away), and the next pass, one poll
/// later, uploads first what is on disk. The PBX saying it has no such file is reported once. One transfer at a time: a PBX serves mp3 downloads one at a time (A4).
/// </summary>
internal sealed partial class RecordingArchiver(
    TelephonyApiClient api,
    IRecordingSource source,
    PbxLinkStatus link,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<RecordingArchiver> logger) : BackgroundService
{
    public const string Folder = "recordings";

    private static readonly TimeSpan RetryInitial = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryMax = TimeSpan.FromMinutes(10);
    private static readonly string[] AudioExtensions = [".wav", ".mp3"];

    // Per recording: how often it failed in a row and when it may be tried again. In memory: a restart tries at once.
    private readonly Dictionary<Guid, (int Failures, DateTimeOffset NotBefore)> _backoff = [];

    private string Directory => Path.Combine(options.Value.GetDataDirectory(), Folder);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var interval = TimeSpan.FromSeconds(options.Value.RecordingPollSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ArchiveOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The API could not be asked or did not take an upload: the next pass tries again.
                    LogPassFailed(logger, interval, NetworkErrors.Describe(ex, "the API"));
                }

                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Downloads not yet uploaded stay in the folder; the next start uploads them without fetching them again.
        }
    }

    /// <summary>One pass: uploads what is already downloaded, then fetches and uploads what the API still wants.</summary>
    internal async Task ArchiveOnceAsync(CancellationToken cancellationToken)
    {
        var pending = await api.ListPendingRecordingsAsync(options.Value.TelephonyPbxId, cancellationToken);
        var wanted = pending.Select(p => p.CallId).ToHashSet();
        foreach (var (callId, path) in Downloaded())
        {
            if (!wanted.Contains(callId))
            {
                // Archived (by this bridge before a restart, or another after a failover) or erased meanwhile.
                File.Delete(path);
            }
        }

        foreach (var recording in pending)
        {
            if (_backoff.TryGetValue(recording.CallId, out var wait) && wait.NotBefore > time.GetUtcNow())
            {
                continue;
            }

            await ArchiveAsync(recording, cancellationToken);
        }

        // Forget the back-off of recordings the API no longer lists.
        foreach (var callId in _backoff.Keys.Where(id => !wanted.Contains(id)).ToList())
        {
            _backoff.Remove(callId);
        }
    }

    private async Task ArchiveAsync(PendingRecording recording, CancellationToken cancellationToken)
    {
        var pbxId = options.Value.TelephonyPbxId;
        var path = FindDownloaded(recording.CallId);
        if (path is null)
        {
            if (!link.Current.Connected)
            {
                // The PBX is not reachable now; a copy already on disk would have been found above.
                return;
            }

            var partial = Path.Combine(Directory, $"{recording.CallId:N}.part");
            RecordingFetch fetched;
            try
            {
                fetched = await source.FetchAsync(recording.File, partial, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var failures = _backoff.GetValueOrDefault(recording.CallId).Failures + 1;
                var delay = Backoff.FullJitter(failures, RetryInitial, RetryMax);
                _backoff[recording.CallId] = (failures, time.GetUtcNow() + delay);
                LogFailed(logger, recording.File, recording.PbxCallId, failures, delay, NetworkErrors.Describe(ex, "the PBX"));
                return;
            }

            if (fetched.MissingReason is { } reason)
            {
                File.Delete(partial);
                await api.MarkRecordingMissingAsync(pbxId, recording.CallId, reason, cancellationToken);
                LogMissing(logger, recording.File, recording.PbxCallId, reason);
                return;
            }

            path = Path.Combine(Directory, $"{recording.CallId:N}{ExtensionFor(fetched.ContentType!)}");
            File.Move(partial, path, overwrite: true);
        }

        // A failure here ends the pass: the file stays and goes first next time.
        var outcome = await api.UploadRecordingAsync(pbxId, recording.CallId, path, ContentTypeOf(path), cancellationToken);
        File.Delete(path);
        _backoff.Remove(recording.CallId);
        LogArchived(logger, recording.File, recording.PbxCallId, outcome);
    }

    private List<(Guid CallId, string Path)> Downloaded() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Where(f => !f.EndsWith(".part", StringComparison.Ordinal))
            .Select(f => (Ok: Guid.TryParseExact(Path.GetFileNameWithoutExtension(f), "N", out var id), Id: id, Path: f))
            .Where(f => f.Ok)
            .Select(f => (f.Id, f.Path))
            .ToList();

    private string? FindDownloaded(Guid callId) =>
        AudioExtensions.Select(ext => Path.Combine(Directory, $"{callId:N}{ext}")).FirstOrDefault(File.Exists);

    private static string ExtensionFor(string contentType) =>
        contentType.Contains("mpeg", StringComparison.OrdinalIgnoreCase) || contentType.Contains("mp3", StringComparison.OrdinalIgnoreCase) ? ".mp3" : ".wav";

    private static string ContentTypeOf(string path) => path.EndsWith(".mp3", StringComparison.Ordinal) ? "audio/mpeg" : "audio/wav";

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {File} of call {PbxCallId} archived ({Outcome})")]
    private static partial void LogArchived(ILogger logger, string file, string pbxCallId, RecordingUploadOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {File} of call {PbxCallId} is not on the PBX: {Reason}")]
    private static partial void LogMissing(ILogger logger, string file, string pbxCallId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {File} of call {PbxCallId} not downloaded ({Failures} failures in a row), retrying in {Delay}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string file, string pbxCallId, int failures, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recordings: the API could not be asked or did not take an upload; trying again in {Interval}: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, TimeSpan interval, string reason);
}
