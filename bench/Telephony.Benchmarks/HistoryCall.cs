namespace Telephony.Benchmarks;

/// <summary>One generated call_logs row with the rows that hang off it (legs, an order, a note).</summary>
internal sealed class HistoryCall
{
    public required string TenantId { get; init; }
    public required Guid Id { get; init; }
    public required string PbxId { get; init; }
    public required string PbxCallId { get; init; }
    public required string Direction { get; init; }
    public required string Outcome { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? ExternalNumber { get; init; }
    public string? ExternalE164 { get; init; }
    public string? Extension { get; init; }
    public string? Trunk { get; init; }
    public string? RingGroup { get; init; }
    public required DateTime StartedAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public required DateTime EndedAt { get; init; }
    public int RingSeconds { get; init; }
    public int TalkSeconds { get; init; }
    public string? Recording { get; init; }
    public string? Satisfaction { get; init; }
    public string? FailureReason { get; init; }
    public string Transfers { get; init; } = "[]";
    public string? CustomerId { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerPhone { get; init; }
    public IReadOnlyList<HistoryLeg> Legs { get; init; } = [];
    public string? OrderId { get; init; }
    public string? Note { get; init; }
}
