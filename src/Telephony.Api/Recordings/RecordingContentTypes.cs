namespace Telephony.Api.Recordings;

/// <summary>What a PBX records (WAV; mp3 when so set) and the names browsers and bridges send for them.</summary>
internal static class RecordingContentTypes
{
    public const string Wav = "audio/wav";
    public const string Mpeg = "audio/mpeg";

    /// <summary>The stored type for what an upload says it is; null when it is not audio a PBX records.</summary>
    public static string? Normalize(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => Wav,
        "audio/mpeg" or "audio/mp3" => Mpeg,
        _ => null,
    };
}
