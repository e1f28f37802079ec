namespace Telephony.Core.Statistics;

/// <summary>
/// Whether the rollups (per UTC hour, day and month, migration 0007) can answer a stats query exactly, and how to cut
/// its range: whole UTC months from the monthly rollup, the whole days around them from the daily one, the hours at
/// either end from the hourly one. They can when the range
/// starts and ends on a UTC hour, the zone's offset is a whole number of hours throughout (so every UTC hour lies in
/// one local day and one local hour), and the service-level thresholds are within what the rollups keep.
/// </summary>
internal sealed record StatsRollupRange(DateTimeOffset From, DateTimeOffset To, DateOnly FirstDay, DateOnly EndDay)
{
    /// <summary>The largest slaSeconds the rollups answer (sla_ring_cum holds rings of 0..3600 s).</summary>
    public const int MaxSlaSeconds = 3600;

    /// <summary>The largest shortAbandonSeconds the rollups answer (abandon_ring_cum holds rings of 0..599 s).</summary>
    public const int MaxShortAbandonSeconds = 600;

    /// <summary>Whole UTC days [FirstDay, EndDay) lie inside the range; none when EndDay ≤ FirstDay.</summary>
    public bool HasDays => EndDay > FirstDay;

    public DateTimeOffset FirstDayStart => new(FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public DateTimeOffset EndDayStart => new(EndDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Whole UTC months [FirstMonth, EndMonth) inside the whole days; none when EndMonth ≤ FirstMonth.</summary>
    public DateOnly FirstMonth => FirstDay.Day == 1 ? FirstDay : new DateOnly(FirstDay.Year, FirstDay.Month, 1).AddMonths(1);

    public DateOnly EndMonth => new(EndDay.Year, EndDay.Month, 1);

    public bool HasMonths => HasDays && EndMonth > FirstMonth;

    public static StatsRollupRange? For(StatsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.SlaSeconds is < 0 or > MaxSlaSeconds || query.ShortAbandonSeconds is < 0 or > MaxShortAbandonSeconds
            || !OnTheHour(query.From) || !OnTheHour(query.To) || query.To <= query.From
            || !TimeZoneInfo.TryFindSystemTimeZoneById(query.TimeZone, out var zone) || !WholeHoursThroughout(zone, query.From, query.To))
        {
            return null;
        }

        var from = query.From.ToUniversalTime();
        var to = query.To.ToUniversalTime();
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        if (from.UtcDateTime.TimeOfDay != TimeSpan.Zero)
        {
            firstDay = firstDay.AddDays(1);
        }

        return new StatsRollupRange(from, to, firstDay, DateOnly.FromDateTime(to.UtcDateTime));
    }

    private static bool OnTheHour(DateTimeOffset at) => at.UtcTicks % TimeSpan.TicksPerHour == 0;

    // Day by day: an offset that is the same at both ends of a UTC day did not change within it; a day where it
    // changed is checked hour by hour (the change must fall on a UTC hour).
    private static bool WholeHoursThroughout(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = from; day < to; day = day.AddDays(1))
        {
            var end = day.AddDays(1) < to ? day.AddDays(1) : to;
            var first = zone.GetUtcOffset(day);
            var last = zone.GetUtcOffset(end.AddTicks(-1));
            if (!WholeHours(first) || !WholeHours(last))
            {
                return false;
            }

            for (var hour = day; first != last && hour < end; hour = hour.AddHours(1))
            {
                if (zone.GetUtcOffset(hour) != zone.GetUtcOffset(hour.AddHours(1).AddTicks(-1)) || !WholeHours(zone.GetUtcOffset(hour)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool WholeHours(TimeSpan offset) => offset.Ticks % TimeSpan.TicksPerHour == 0;
}
