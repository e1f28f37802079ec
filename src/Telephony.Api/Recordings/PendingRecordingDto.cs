namespace Telephony.Api.Recordings;

/// <summary>A recording the bridge should fetch from its PBX and upload (<c>PUT …/recordings/{callId}</c>).</summary>
internal sealed record PendingRecordingDto(Guid CallId, string PbxCallId, string File, DateTimeOffset? CallStartedAt);
