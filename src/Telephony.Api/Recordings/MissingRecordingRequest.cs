using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Recordings;

/// <param name="Reason">What the PBX answered, e.g. "20014 recording does not exist".</param>
internal sealed record MissingRecordingRequest([property: Required, StringLength(500)] string? Reason);
