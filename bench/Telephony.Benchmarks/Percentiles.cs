namespace Telephony.Benchmarks;

/// <summary>p50, p95, p99 and max of a set of durations, in milliseconds.</summary>
internal sealed record Percentiles(double P50, double P95, double P99, double Max, int Count)
{
    public static Percentiles Of(IReadOnlyCollection<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Percentiles(At(0.50), At(0.95), At(0.99), sorted[^1], sorted.Length);
    }
}
