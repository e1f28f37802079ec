namespace Telephony.PbxBridge;

/// <summary>
/// Capped exponential backoff with full jitter (a random delay between zero and the exponential cap), so many
/// bridges that lost the same PBX or API do not retry in lockstep.
/// </summary>
internal static class Backoff
{
    public static TimeSpan FullJitter(int attempt, TimeSpan initial, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Cap(attempt, initial, max));

    /// <summary>Between half and all of the cap: never a near-zero wait, for a loop that must not hot-spin (the command poll).</summary>
    public static TimeSpan EqualJitter(int attempt, TimeSpan initial, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Cap(attempt, initial, max) * (0.5 + (Random.Shared.NextDouble() * 0.5)));

    private static double Cap(int attempt, TimeSpan initial, TimeSpan max) =>
        Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)));

    /// <summary>Waits out a backoff delay; false when the host is stopping (the caller's loop should end).</summary>
    public static async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
