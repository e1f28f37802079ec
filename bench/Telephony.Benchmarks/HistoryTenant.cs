namespace Telephony.Benchmarks;

/// <summary>A generated tenant: its locations (one PBX each), how many calls it gets and the zone its days are in.</summary>
internal sealed record HistoryTenant(string Id, string Name, int Index, IReadOnlyList<HistoryLocation> Locations, int Calls, string TimeZone)
{
    /// <summary>The chain at <see cref="HistorySize.ChainLocations"/> locations, then single-site tenants.</summary>
    public static IReadOnlyList<HistoryTenant> For(HistorySize size)
    {
        var tenants = new List<HistoryTenant>
        {
            new(HistoryDataSet.ChainTenant, "Pizza chain, 30 locations", 0,
                [.. Enumerable.Range(1, HistorySize.ChainLocations).Select(HistoryLocation.OfChain)], size.ChainCalls, "Europe/Moscow"),
        };
        for (var t = 1; t <= size.OtherTenants; t++)
        {
            tenants.Add(new HistoryTenant($"cafe-{t:D3}", $"Cafe {t}", t, [HistoryLocation.Single(t)], size.CallsPerOtherTenant, "Europe/Moscow"));
        }

        return tenants;
    }
}
