namespace Telephony.Core.Storage;

/// <summary>
/// History filters; <see cref="To"/> is exclusive (callers turn an inclusive day into the next midnight).
/// <see cref="PhoneAsWritten"/> matches a number that does not normalise (an extension, a short code) as the PBX wrote it.
/// <see cref="After"/> starts the page after that call (keyset paging); <see cref="Offset"/> then skips further.
/// </summary>
public sealed record CallQuery(
    int Limit,
    int Offset,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Direction = null,
    string? Status = null,
    string? Extension = null,
    string? PhoneE164 = null,
    string? CustomerId = null,
    string? OrderId = null,
    string? Text = null,
    string? PhoneAsWritten = null,
    CallCursor? After = null);
