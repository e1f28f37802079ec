namespace Telephony.Api.Recordings;

/// <param name="RecordingRetentionDays">Days a recording is kept after its call; null keeps them for ever.</param>
internal sealed record RecordingRetentionDto(int? RecordingRetentionDays);
