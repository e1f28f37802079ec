namespace Telephony.PbxSimulator.Engine;

// Seeded random shared by the traffic loop and call/dial; System.Random is not thread-safe.
internal sealed class LockedRandom
{
    private readonly Lock _gate = new();
    private readonly Random _random;

    public LockedRandom(int? seed) => _random = seed is { } s ? new Random(s) : new Random();

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    // Inclusive lower bound, exclusive upper bound.
    public int Next(int minValue, int maxValue)
    {
        lock (_gate)
        {
            return _random.Next(minValue, maxValue);
        }
    }

    public TimeSpan NextSeconds(int min, int max) => TimeSpan.FromSeconds(Next(min, max + 1));
}
