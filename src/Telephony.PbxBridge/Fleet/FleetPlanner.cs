namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Decides, from the fleet listing and the leases this bridge holds, what the supervisor does in one pass. Pure, so
/// the fair-share rule is tested without an API.
/// </summary>
/// <remarks>
/// Fair share: a bridge only learns of other bridges from the leases they hold, so "live bridges" is the number of
/// distinct unexpired holders other than us, plus us. While others are visible a bridge holds at most
/// ceil(servable / live) + 1 PBXs (the +1 lets the split settle without a PBX bouncing between two bridges). A bridge
/// that holds nothing yet is invisible, so no pass takes more than ceil(servable / (live + 1)) free leases: a bridge
/// starting alone takes half of them and the rest on its next pass, which leaves a bridge starting beside it free
/// leases to take, and the two split roughly evenly. Free leases are tried in random order so that two bridges in the
/// same pass mostly try different PBXs. Nothing is given up to rebalance: a PBX moves only when it is released (a
/// bridge stopping), added, or its holder stops renewing, so a healthy link is never cut for fairness' sake.
/// </remarks>
internal static class FleetPlanner
{
    public static FleetPlan Plan(
        IReadOnlyList<FleetPbxView> listed,
        IReadOnlyDictionary<FleetPbxKey, string> held,
        string bridgeId,
        DateTimeOffset now,
        Random random,
        IReadOnlySet<FleetPbxKey>? coolingDown = null)
    {
        var byKey = listed.ToDictionary(p => p.Pbx);
        var release = held.Keys.Where(k => !byKey.TryGetValue(k, out var p) || !p.IsServable).ToList();
        var restart = held.Where(h => byKey.TryGetValue(h.Key, out var p) && p.IsServable && !string.Equals(p.ConnectionVersion, h.Value, StringComparison.Ordinal))
            .Select(h => h.Key)
            .ToList();

        var servable = listed.Count(p => p.IsServable);
        var others = listed
            .Where(p => !held.ContainsKey(p.Pbx) && !p.IsFree(now) && !string.Equals(p.LeaseHolder, bridgeId, StringComparison.Ordinal))
            .Select(p => p.LeaseHolder)
            .Distinct(StringComparer.Ordinal)
            .Count();
        var live = others + 1;
        var fairShare = (int)Math.Ceiling(servable / (double)live);
        var keeping = held.Count - release.Count;
        var room = others > 0 ? fairShare + 1 - keeping : servable - keeping;
        var perPass = (int)Math.Ceiling(servable / (double)(live + 1));

        var free = listed
            .Where(p => p.IsServable && !held.ContainsKey(p.Pbx) && p.IsFree(now) && coolingDown?.Contains(p.Pbx) != true)
            .Select(p => p.Pbx)
            .ToArray();
        random.Shuffle(free);
        var acquire = free.Take(Math.Max(0, Math.Min(room, perPass))).ToList();
        return new FleetPlan(acquire, release, restart, live, fairShare);
    }
}
