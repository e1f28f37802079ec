namespace Telephony.Benchmarks;

/// <summary>
/// A history data set's shape: one restaurant chain (<see cref="ChainLocations"/> PBXs) and many single-site tenants,
/// all over the same <see cref="Days"/> days, so a smaller size is the same traffic thinned out, not a different one.
/// </summary>
internal sealed record HistorySize(string Name, int ChainCalls, int OtherTenants, int CallsPerOtherTenant)
{
    public const int Days = 100;
    public const int ChainLocations = 30;

    /// <summary>10 million calls, the chain holding 3 million of them (design.md §9).</summary>
    public static readonly HistorySize TenMillion = new("10m", 3_000_000, 140, 50_000);

    /// <summary>The same tenants and locations at a thousandth of the traffic: the baseline of each query.</summary>
    public static readonly HistorySize TenThousand = new("10k", 3_000, 140, 50);

    /// <summary><c>--quick</c>: built in seconds, enough to check that every query runs.</summary>
    public static readonly HistorySize QuickLarge = new("quick-large", 6_000, 4, 1_000);

    public static readonly HistorySize QuickSmall = new("quick-small", 600, 4, 100);

    public long TotalCalls => ChainCalls + ((long)OtherTenants * CallsPerOtherTenant);
}
