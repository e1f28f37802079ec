namespace Telephony.Api.Statistics;

internal sealed record StatsResponse(
    string From,
    string To,
    string TimeZone,
    int SlaSeconds,
    int ShortAbandonSeconds,
    string? Extension,
    string? GroupBy,
    CallStatsDto Totals,
    IReadOnlyList<CallStatsDto> Groups);
