namespace Telephony.Core.Recordings;

/// <summary>Where a call's recording stands (stored lower-case, as <c>call_recordings.status</c>).</summary>
public enum RecordingStatus
{
    /// <summary>Named by the CDR, not yet in the archive: the bridge is fetching it.</summary>
    Pending,

    /// <summary>In Blob Storage; playable.</summary>
    Archived,

    /// <summary>The PBX says it does not have it.</summary>
    Missing,

    /// <summary>Removed by a tenant admin or by the retention period (see <c>recording_audit</c>).</summary>
    Deleted,
}
