using System.Collections.Concurrent;

namespace Telephony.PbxSimulator.Recordings;

// The PBX's recording storage. Only the file name and length are kept: the audio is synthesised on each request
// (deterministically), so a long-running demo does not pile up megabytes of tones.
internal sealed class RecordingStore
{
    // Keeps tests light: a long call still gives a few seconds of audio.
    public static readonly TimeSpan MaxAudioLength = TimeSpan.FromSeconds(5);

    // A recording of an answered call that was hung up at once still has something to play.
    public static readonly TimeSpan MinAudioLength = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RecordedCall> _byFile = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _fileByCall = new(StringComparer.Ordinal);

    public void Add(string fileName, string callId, TimeSpan talkTime)
    {
        var length = talkTime < MinAudioLength ? MinAudioLength : talkTime > MaxAudioLength ? MaxAudioLength : talkTime;
        _byFile[fileName] = new RecordedCall(fileName, callId, length);
        _fileByCall[callId] = fileName;
    }

    public bool TryGet(string fileName, out RecordedCall recording) => _byFile.TryGetValue(fileName, out recording!);

    // The file name stays known for the call (its CDR still names it); only the audio is gone.
    public void Delete(string fileName) => _byFile.TryRemove(fileName, out _);

    public string? FileOf(string callId) => _fileByCall.TryGetValue(callId, out var fileName) ? fileName : null;

    public IReadOnlyDictionary<string, byte[]> Snapshot() =>
        _byFile.Values.ToDictionary(r => r.FileName, r => r.Audio(), StringComparer.Ordinal);
}
