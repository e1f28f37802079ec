namespace Telephony.Core.Statistics;

/// <summary>Aggregates over ended calls of one bucket (an extension, a day or an hour of day), or of the whole range.</summary>
public sealed class CallStatsRow
{
    public string? Key { get; init; }
    public long TotalCalls { get; init; }
    public long Inbound { get; init; }
    public long Outbound { get; init; }
    public long Internal { get; init; }
    public long Answered { get; init; }
    public long Missed { get; init; }
    public long Busy { get; init; }
    public long Failed { get; init; }
    public double? AvgRingSeconds { get; init; }
    public double? AvgTalkSeconds { get; init; }
    public long TotalTalkSeconds { get; init; }
    public long OrdersLinked { get; init; }
    public long AnsweredWithOrder { get; init; }
    public long InboundAnswered { get; init; }
    public long InboundAnsweredWithinSla { get; init; }
    public long ShortAbandons { get; init; }
    public double? AvgSatisfaction { get; init; }
    public long Surveyed { get; init; }
}
