namespace Telephony.Benchmarks;

/// <summary>A phone that rang for a generated call (a call_legs row).</summary>
internal sealed record HistoryLeg(string Extension, DateTime RingAt, DateTime? AnsweredAt, DateTime EndedAt, string Outcome);
