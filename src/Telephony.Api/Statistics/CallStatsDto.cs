using Telephony.Core.Statistics;

namespace Telephony.Api.Statistics;

/// <summary>design.md §4 stats fields. Rates are 0..1, null when there is nothing to divide by.</summary>
internal sealed record CallStatsDto(
    string? Key,
    long TotalCalls,
    long Inbound,
    long Outbound,
    long Internal,
    long Answered,
    long Missed,
    long Busy,
    long Failed,
    double? AnswerRate,
    double? AvgRingSeconds,
    double? AvgTalkSeconds,
    long TotalTalkSeconds,
    long OrdersLinked,
    double? ConversionRate,
    double? ServiceLevel,
    long ShortAbandons,
    double? AvgSatisfaction,
    long Surveyed)
{
    public static CallStatsDto From(CallStatsRow r)
    {
        // Short abandons (caller gave up within seconds) are left out of the service level, as call centres report it.
        var inboundCounted = r.Inbound - r.ShortAbandons;
        return new CallStatsDto(
            r.Key,
            r.TotalCalls,
            r.Inbound,
            r.Outbound,
            r.Internal,
            r.Answered,
            r.Missed,
            r.Busy,
            r.Failed,
            Ratio(r.Answered, r.TotalCalls),
            Round(r.AvgRingSeconds),
            Round(r.AvgTalkSeconds),
            r.TotalTalkSeconds,
            r.OrdersLinked,
            Ratio(r.AnsweredWithOrder, r.Answered),
            Ratio(r.InboundAnsweredWithinSla, inboundCounted),
            r.ShortAbandons,
            Round(r.AvgSatisfaction),
            r.Surveyed);
    }

    private static double? Ratio(long part, long whole) => whole <= 0 ? null : Math.Round((double)part / whole, 4);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
