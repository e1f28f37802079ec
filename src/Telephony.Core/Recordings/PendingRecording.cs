namespace Telephony.Core.Recordings;

/// <summary>A recording a PBX's bridge still has to fetch: the call (both ids) and the PBX's file name.</summary>
public sealed record PendingRecording(Guid CallId, string PbxCallId, string FileName, DateTimeOffset? CallStartedAt);
