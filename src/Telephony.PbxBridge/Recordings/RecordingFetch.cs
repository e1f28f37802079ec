namespace Telephony.PbxBridge.Recordings;

/// <summary>What fetching a recording came to: the file's content type, or why the PBX has none.</summary>
internal sealed record RecordingFetch(string? ContentType, string? MissingReason)
{
    public static RecordingFetch Downloaded(string contentType) => new(contentType, null);

    public static RecordingFetch Missing(string reason) => new(null, reason);
}
