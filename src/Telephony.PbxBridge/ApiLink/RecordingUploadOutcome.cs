namespace Telephony.PbxBridge.ApiLink;

/// <summary>What the API made of an uploaded recording.</summary>
internal enum RecordingUploadOutcome
{
    /// <summary>Stored: the bridge's copy can go.</summary>
    Archived,

    /// <summary>The API does not want it (no such recording for this PBX, or erased meanwhile): the copy can go too.</summary>
    NotWanted,
}
