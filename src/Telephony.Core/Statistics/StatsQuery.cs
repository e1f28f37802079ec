namespace Telephony.Core.Statistics;

/// <summary>A stats request: UTC range [From, To), the tenant's zone for day/hour buckets, and the service-level targets.</summary>
public sealed record StatsQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    string TimeZone,
    int SlaSeconds,
    int ShortAbandonSeconds,
    StatsGrouping GroupBy = StatsGrouping.None,
    string? Extension = null);
