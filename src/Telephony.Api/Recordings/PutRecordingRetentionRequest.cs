using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Recordings;

/// <param name="RecordingRetentionDays">Days a recording is kept after its call (1 to 36,500); null keeps them for ever.</param>
internal sealed record PutRecordingRetentionRequest(
    [property: Range(1, 36500, ErrorMessage = "recordingRetentionDays must be between 1 and 36500 days, or null to keep recordings for ever.")] int? RecordingRetentionDays);
