namespace Telephony.PbxBridge.Recordings;

/// <summary>Fetches a recording file from the PBX, the way its family does it (P-Series A11.4, S-Series B6).</summary>
internal interface IRecordingSource
{
    /// <summary>
    /// Writes the PBX's recording <paramref name="fileName"/> to <paramref name="path"/>; answers Missing when the PBX says
    /// it has no such file. Throws on anything worth trying again (link down, PBX busy, an expired link).
    /// </summary>
    Task<RecordingFetch> FetchAsync(string fileName, string path, CancellationToken cancellationToken);
}
