namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Decides, from the fleet listing and the leases this bridge holds, what the supervisor does in one pass. Pure, so
/// the fair-share rule is tested without an API.
/// </summary>
/// <remarks>
/// Fair share: "live bridges" are the bridges that announced themselves to the API within the presence window
/// (<paramref name="alive"/>) and the distinct unexpired lease holders, other than us, plus us. While others are live a
/// bridge holds at most ceil(servable / live) + 1 PBXs (the +1 lets the split settle without a PBX bouncing between two
/// bridges); one holding more hands the excess over — it releases them (its unit logs out of the PBX first) and the
/// newcomer takes them on its next pass, the CDR backfill covering the seconds between. No pass takes more than
/// ceil(servable / (live + 1)) free leases, so a bridge starting alone leaves some free for one starting beside it that
/// has not announced itself yet. Free leases are tried in random order so that two bridges in the same pass mostly try
/// different PBXs. Without announcements (an API that predates them) only lease holders count and nothing is handed over.
/// </remarks>
internal static class FleetPlanner
{
    public static FleetPlan Plan(
        IReadOnlyList<FleetPbxView> listed,
        IReadOnlyDictionary<FleetPbxKey, string> held,
        string bridgeId,
        DateTimeOffset now,
        Random random,
        IReadOnlySet<FleetPbxKey>? coolingDown = null,
        IReadOnlyCollection<string>? alive = null)
    {
        var byKey = listed.ToDictionary(p => p.Pbx);
        var release = held.Keys.Where(k => !byKey.TryGetValue(k, out var p) || !p.IsServable).ToList();
        var restart = held.Where(h => byKey.TryGetValue(h.Key, out var p) && p.IsServable && !string.Equals(p.ConnectionVersion, h.Value, StringComparison.Ordinal))
            .Select(h => h.Key)
            .ToList();

        var servable = listed.Count(p => p.IsServable);
        var others = listed
            .Where(p => !held.ContainsKey(p.Pbx) && !p.IsFree(now) && !string.Equals(p.LeaseHolder, bridgeId, StringComparison.Ordinal))
            .Select(p => p.LeaseHolder!)
            .Concat(alive ?? [])
            .Where(id => !string.Equals(id, bridgeId, StringComparison.Ordinal))
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

        // Over the share while others are live: hand over the excess, no more per pass than a newcomer takes in one.
        var keptKeys = held.Keys.Except(release).ToArray();
        random.Shuffle(keptKeys);
        var handOver = others > 0 ? keptKeys.Take(Math.Min(Math.Max(0, -room), perPass)).ToList() : [];
        return new FleetPlan(acquire, release, [.. restart.Except(handOver)], live, fairShare, handOver);
    }
}
