namespace Telephony.PbxBridge.ApiLink;

/// <summary>A recording the API has not archived yet (<c>GET /api/pbx/{pbxId}/recordings/pending</c>).</summary>
internal sealed record PendingRecording(Guid CallId, string PbxCallId, string File, DateTimeOffset? CallStartedAt);
