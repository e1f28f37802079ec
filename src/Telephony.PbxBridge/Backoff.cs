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
}
