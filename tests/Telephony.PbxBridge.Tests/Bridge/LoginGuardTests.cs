using Microsoft.Extensions.Time.Testing;
using Telephony.PbxBridge;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class LoginGuardTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_refused_login_puts_every_login_on_hold_for_its_wait()
    {
        var time = new FakeTimeProvider();
        var guard = new LoginGuard(time);
        var refusal = WrongSecret();

        guard.ThrowIfOnHold();
        guard.Refused(refusal, countsTowardBlock: true, Wait);

        Assert.Same(refusal, Assert.Throws<YeastarApiException>(guard.ThrowIfOnHold));
        Assert.Equal(Wait, guard.OnHoldFor);
        time.Advance(Wait - TimeSpan.FromSeconds(1));
        Assert.Throws<YeastarApiException>(guard.ThrowIfOnHold);
        time.Advance(TimeSpan.FromSeconds(1));
        guard.ThrowIfOnHold();
        Assert.Equal(TimeSpan.Zero, guard.OnHoldFor);
    }

    [Fact]
    public void Four_refusals_in_a_row_stop_the_logins_before_the_pbx_blocks_the_ip()
    {
        var time = new FakeTimeProvider();
        var guard = new LoginGuard(time);
        for (var i = 1; i < LoginGuard.MaxRefusalsInARow; i++)
        {
            guard.Refused(WrongSecret(), countsTowardBlock: true, Wait);
            time.Advance(Wait);
            guard.ThrowIfOnHold();
        }

        Assert.False(guard.HasStopped);
        guard.Refused(WrongSecret(), countsTowardBlock: true, Wait);
        time.Advance(TimeSpan.FromDays(1));

        Assert.True(guard.HasStopped);
        Assert.Equal(LoginGuard.PbxBlocksAfter - 1, LoginGuard.MaxRefusalsInARow);
        Assert.Throws<YeastarApiException>(guard.ThrowIfOnHold);
        Assert.Contains("restart the bridge", guard.Describe("hint"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_successful_login_starts_the_count_again()
    {
        var time = new FakeTimeProvider();
        var guard = new LoginGuard(time);
        for (var i = 1; i < LoginGuard.MaxRefusalsInARow; i++)
        {
            guard.Refused(WrongSecret(), countsTowardBlock: true, Wait);
        }

        guard.Succeeded();
        guard.ThrowIfOnHold();
        for (var i = 1; i < LoginGuard.MaxRefusalsInARow; i++)
        {
            guard.Refused(WrongSecret(), countsTowardBlock: true, Wait);
        }

        Assert.False(guard.HasStopped);
        Assert.Equal("hint", guard.Describe("hint"));
    }

    [Fact]
    public void An_ip_already_blocked_only_waits_and_does_not_count()
    {
        var time = new FakeTimeProvider();
        var guard = new LoginGuard(time);
        for (var i = 0; i < 10; i++)
        {
            guard.Refused(new YeastarApiException("get_token", 70004, "ACCOUNT IP BLOCKED"), countsTowardBlock: false, Wait);
            Assert.Throws<YeastarApiException>(guard.ThrowIfOnHold);
            time.Advance(Wait);
        }

        Assert.False(guard.HasStopped);
        guard.ThrowIfOnHold();
    }

    private static YeastarApiException WrongSecret() => new("get_token", -1, "FAILURE");
}
