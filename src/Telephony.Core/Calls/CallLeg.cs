namespace Telephony.Core.Calls;

/// <summary>One extension that rang for a call, so stats can say who answered and who missed.</summary>
/// <param name="Extension">The extension number.</param>
/// <param name="RingAt">When it started ringing (UTC).</param>
/// <param name="AnsweredAt">When it answered, if it did.</param>
/// <param name="EndedAt">When it stopped ringing or hung up.</param>
/// <param name="Outcome">Answered when that phone answered, Missed when it rang and stopped without answering; null while ringing or talking.</param>
[GenerateSerializer, Immutable, Alias("Telephony.Calls.CallLeg")]
public sealed record CallLeg(
    [property: Id(0)] string Extension,
    [property: Id(1)] DateTimeOffset RingAt,
    [property: Id(2)] DateTimeOffset? AnsweredAt,
    [property: Id(3)] DateTimeOffset? EndedAt,
    [property: Id(4)] CallOutcome? Outcome);
