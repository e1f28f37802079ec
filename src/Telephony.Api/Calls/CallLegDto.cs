namespace Telephony.Api.Calls;

internal sealed record CallLegDto(string Extension, DateTimeOffset RingAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, string? Outcome);
