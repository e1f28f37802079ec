namespace Telephony.PbxBridge;

/// <summary>
/// Capped exponential backoff with full jitter (a random delay between zero and the exponential cap), so many
/// bridges that lost the same PBX or API do not retry in lockstep.
/// </summary>
internal static class Backoff
{
    public static TimeSpan FullJitter(int attempt, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var cap = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

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
