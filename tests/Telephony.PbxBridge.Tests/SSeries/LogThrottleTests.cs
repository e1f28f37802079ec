using Microsoft.Extensions.Time.Testing;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class LogThrottleTests
{
    [Fact]
    public void Lines_past_the_limit_are_counted_and_the_next_window_says_how_many()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, limit: 3, TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++)
        {
            Assert.True(throttle.TryAcquire(out var before));
            Assert.Equal(0, before);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.False(throttle.TryAcquire(out _));
        }

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(throttle.TryAcquire(out _));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(throttle.TryAcquire(out var suppressed));
        Assert.Equal(6, suppressed);
        Assert.True(throttle.TryAcquire(out var none));
        Assert.Equal(0, none);
    }
}
