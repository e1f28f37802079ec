namespace Telephony.Core.Calls;

/// <summary>A note an agent wrote on a call.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.CallNote")]
public sealed record CallNote(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Note,
    [property: Id(2)] string? Author,
    [property: Id(3)] DateTimeOffset CreatedAt);
