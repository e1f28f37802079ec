namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(1000, 30)]
    public void Waits_double_per_attempt_up_to_the_cap_full_jitter_anywhere_below_it_equal_jitter_in_its_upper_half(int attempt, int capSeconds)
    {
        var cap = TimeSpan.FromSeconds(capSeconds);
        var full = Enumerable.Range(0, 500).Select(_ => Backoff.FullJitter(attempt, Initial, Max)).ToList();
        var equal = Enumerable.Range(0, 500).Select(_ => Backoff.EqualJitter(attempt, Initial, Max)).ToList();

        Assert.All(full, d => Assert.InRange(d, TimeSpan.Zero, cap));
        Assert.All(equal, d => Assert.InRange(d, cap / 2, cap));

        // Spread out, not one fixed value: bridges that lost the same PBX do not retry in step.
        Assert.True(full.Distinct().Count() > 100);
        Assert.True(full.Min() < cap / 2);
    }
}
