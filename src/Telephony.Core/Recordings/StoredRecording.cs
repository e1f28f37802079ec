namespace Telephony.Core.Recordings;

/// <summary>A call's recording row: its state and, once archived, where and what the blob is.</summary>
public sealed record StoredRecording(
    string TenantId,
    Guid CallId,
    string PbxId,
    string FileName,
    RecordingStatus Status,
    string? BlobName,
    string? ContentType,
    long? SizeBytes,
    DateTimeOffset? CallStartedAt);
