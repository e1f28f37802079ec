namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>Awaits a condition with a timeout (never a fixed sleep); fails with what was being waited for.</summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string waitingFor, Func<string>? diagnostics = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout} waiting for {waitingFor}.\n{diagnostics?.Invoke()}");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }
}
