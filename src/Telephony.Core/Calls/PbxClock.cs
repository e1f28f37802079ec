namespace Telephony.Core.Calls;

/// <summary>Converts PBX wall-clock times (CDR <c>time_start</c>, no zone) to UTC with the PBX's configured time zone.</summary>
public static class PbxClock
{
    /// <summary>Converts without throwing, including on daylight-saving transition days.</summary>
    public static DateTimeOffset ToUtc(DateTime pbxLocal, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateTime.SpecifyKind(pbxLocal, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // A time in the spring-forward gap cannot have happened; read it with the offset in force just before
            // the gap, which moves it forward by the gap's length (02:30 in Berlin on 2024-03-31 → 03:30 CEST).
            var before = local;
            for (var i = 0; i < 200 && zone.IsInvalidTime(before); i++)
            {
                before = before.AddMinutes(-15);
            }

            offset = zone.GetUtcOffset(before);
        }
        else if (zone.IsAmbiguousTime(local))
        {
            // In the fall-back overlap pick the earlier instant (the daylight offset): a CDR received during the first
            // pass would otherwise be placed an hour in the future, while the earlier choice is at worst an hour early.
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        var utcTicks = local.Ticks - offset.Ticks;
        return utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks
            ? new DateTimeOffset(local, TimeSpan.Zero)
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
    }
}
