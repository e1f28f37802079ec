using Telephony.Core.Calls;

namespace Telephony.Core.Tests.Calls;

public sealed class PbxClockTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Normal_summer_and_winter_days_use_the_zone_offset()
    {
        Assert.Equal(new DateTimeOffset(2024, 6, 15, 10, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 6, 15, 12, 0, 0), Berlin));
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 11, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 1, 15, 12, 0, 0), Berlin));
    }

    [Fact]
    public void Time_in_the_spring_forward_gap_moves_forward_by_the_gap()
    {
        var utc = PbxClock.ToUtc(new DateTime(2024, 3, 31, 2, 30, 0), Berlin);

        // 02:30 does not exist; read as 03:30 CEST = 01:30 UTC.
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 30, 0, TimeSpan.Zero), utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Fact]
    public void Times_around_the_spring_forward_gap_convert_normally()
    {
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 0, 59, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 3, 31, 1, 59, 0), Berlin));
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 3, 31, 3, 0, 0), Berlin));
    }

    [Fact]
    public void Ambiguous_time_in_the_fall_back_overlap_picks_the_earlier_instant()
    {
        var utc = PbxClock.ToUtc(new DateTime(2024, 10, 27, 2, 30, 0), Berlin);

        Assert.Equal(new DateTimeOffset(2024, 10, 27, 0, 30, 0, TimeSpan.Zero), utc);
    }

    [Fact]
    public void Times_around_the_fall_back_overlap_convert_normally()
    {
        Assert.Equal(new DateTimeOffset(2024, 10, 26, 23, 59, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 10, 27, 1, 59, 0), Berlin));
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 2, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 10, 27, 3, 0, 0), Berlin));
    }

    [Fact]
    public void Kind_of_the_input_is_ignored_and_extremes_do_not_throw()
    {
        Assert.Equal(new DateTimeOffset(2024, 6, 15, 10, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 6, 15, 12, 0, 0, DateTimeKind.Utc), Berlin));
        _ = PbxClock.ToUtc(DateTime.MinValue, Berlin);
        _ = PbxClock.ToUtc(DateTime.MaxValue, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"));
        Assert.Equal(new DateTimeOffset(2024, 6, 15, 12, 0, 0, TimeSpan.Zero), PbxClock.ToUtc(new DateTime(2024, 6, 15, 12, 0, 0), TimeZoneInfo.Utc));
    }
}
