namespace Telephony.Core.Statistics;

public enum StatsGrouping
{
    None,
    Extension,
    Day,
    Hour,
}
