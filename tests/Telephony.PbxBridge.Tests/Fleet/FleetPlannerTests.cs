using Telephony.PbxBridge.Fleet;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>The supervisor's decisions (issue 11 §3): fair share among fleet bridges, and what a held PBX's listing changes mean.</summary>
public sealed class FleetPlannerTests
{
    private const string Self = "bridge-a";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<FleetPbxKey, string> NothingHeld = new Dictionary<FleetPbxKey, string>();

    [Fact]
    public void A_bridge_alone_takes_half_of_the_free_pbxes_per_pass_so_a_bridge_starting_beside_it_finds_some_free()
    {
        var listed = Pbxes(10);

        var first = FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(1));

        Assert.Equal(5, first.Acquire.Count);
        Assert.Equal(1, first.LiveBridges);

        // Its next pass, still alone: the rest.
        var held = first.Acquire.ToDictionary(k => k, _ => "v1");
        var second = FleetPlanner.Plan([.. listed.Select(p => held.ContainsKey(p.Pbx) ? p with { LeaseHolder = Self, LeaseExpiresAt = Now.AddSeconds(30) } : p)], held, Self, Now, new Random(2));
        Assert.Equal(5, second.Acquire.Count);
        Assert.Empty(second.Acquire.Intersect(first.Acquire));
    }

    [Fact]
    public void With_another_bridge_renewing_a_bridge_takes_no_more_than_its_fair_share_plus_one()
    {
        // 12 PBXs: "bridge-b" holds 2, 10 are free. Two live bridges: a fair share is 6, so at most 7 for us.
        var listed = Pbxes(12, heldBy: (2, "bridge-b"));

        var plan = FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(3));

        Assert.Equal(2, plan.LiveBridges);
        Assert.Equal(6, plan.FairShare);
        Assert.Equal(4, plan.Acquire.Count); // ceil(12 / 3) per pass: room is left for a third bridge not visible yet
        Assert.All(plan.Acquire, k => Assert.True(int.Parse(k.PbxId[3..], System.Globalization.CultureInfo.InvariantCulture) >= 2));

        var holding = Enumerable.Range(2, 6).ToDictionary(i => Key(i), _ => "v1");
        var listedNow = listed.Select(p => holding.ContainsKey(p.Pbx) ? p with { LeaseHolder = Self, LeaseExpiresAt = Now.AddSeconds(30) } : p).ToList();
        var next = FleetPlanner.Plan(listedNow, holding, Self, Now, new Random(4));
        Assert.Single(next.Acquire); // 6 held, fair share 6, + 1
    }

    [Fact]
    public void An_expired_lease_counts_as_free_and_its_holder_as_gone()
    {
        // bridge-b died: its leases ran out 5 s ago, so we are alone and may take everything (half per pass).
        var listed = Pbxes(4, heldBy: (4, "bridge-b")).Select(p => p with { LeaseExpiresAt = Now.AddSeconds(-5) }).ToList();

        var plan = FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(5));

        Assert.Equal(1, plan.LiveBridges);
        Assert.Equal(2, plan.Acquire.Count);
    }

    [Fact]
    public void A_pbx_held_by_another_bridge_is_never_tried_while_its_lease_lasts()
    {
        var listed = Pbxes(3, heldBy: (3, "bridge-b"));

        Assert.Empty(FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(6)).Acquire);
    }

    [Fact]
    public void A_held_pbx_gone_from_the_listing_or_no_longer_servable_is_released_and_a_changed_one_restarted()
    {
        var held = new Dictionary<FleetPbxKey, string> { [Key(0)] = "v1", [Key(1)] = "v1", [Key(2)] = "v1", [Key(3)] = "v1" };
        FleetPbxView[] listed =
        [
            new(Key(0), "v1", Self, Now.AddSeconds(20)),
            new(Key(1), "v2", Self, Now.AddSeconds(20)),
            new(Key(2), null, Self, Now.AddSeconds(20)),
        ];

        var plan = FleetPlanner.Plan(listed, held, Self, Now, new Random(7));

        Assert.Equal([Key(2), Key(3)], plan.Release.OrderBy(k => k.PbxId, StringComparer.Ordinal));
        Assert.Equal([Key(1)], plan.Restart);
        Assert.Empty(plan.Acquire);
    }

    [Fact]
    public void A_pbx_that_cannot_be_served_or_is_cooling_down_after_a_failed_start_is_not_taken()
    {
        FleetPbxView[] listed = [new(Key(0), null, null, null), new(Key(1), "v1", null, null)];

        Assert.Empty(FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(8), coolingDown: new HashSet<FleetPbxKey> { Key(1) }).Acquire);
        Assert.Equal([Key(1)], FleetPlanner.Plan(listed, NothingHeld, Self, Now, new Random(8)).Acquire);
    }

    [Fact]
    public void A_bridge_holding_everything_hands_the_excess_over_to_a_newcomer_that_announced_itself_and_holds_nothing()
    {
        // bridge-a took all 4 before bridge-b started. Two live bridges: a fair share is 2, so at most 3 kept.
        var held = Enumerable.Range(0, 4).ToDictionary(i => Key(i), _ => "v1");
        var listed = Pbxes(4, heldBy: (4, Self));

        var plan = FleetPlanner.Plan(listed, held, Self, Now, new Random(9), alive: [Self, "bridge-b"]);

        Assert.Equal(2, plan.LiveBridges);
        var handed = Assert.Single(plan.HandOver);
        Assert.Contains(handed, held.Keys);
        Assert.Empty(plan.Acquire);
        Assert.Empty(plan.Release);

        // Down to three: kept, nothing more handed over, nothing taken back.
        held.Remove(handed);
        var settled = FleetPlanner.Plan([.. listed.Select(p => p.Pbx == handed ? p with { LeaseHolder = null } : p)], held, Self, Now, new Random(10), alive: [Self, "bridge-b"]);
        Assert.Empty(settled.HandOver);
        Assert.Empty(settled.Acquire);
    }

    [Fact]
    public void Nothing_is_handed_over_without_another_live_bridge_and_no_more_per_pass_than_a_newcomer_takes()
    {
        var held = Enumerable.Range(0, 12).ToDictionary(i => Key(i), _ => "v1");
        var listed = Pbxes(12, heldBy: (12, Self));

        Assert.Empty(FleetPlanner.Plan(listed, held, Self, Now, new Random(11)).HandOver);
        Assert.Empty(FleetPlanner.Plan(listed, held, Self, Now, new Random(11), alive: [Self]).HandOver);

        // Three live bridges: a fair share is 4, so 7 are over it (keep 5), but a pass hands over at most ceil(12 / 4) = 3.
        var plan = FleetPlanner.Plan(listed, held, Self, Now, new Random(12), alive: ["bridge-c", Self, "bridge-b"]);
        Assert.Equal(3, plan.LiveBridges);
        Assert.Equal(3, plan.HandOver.Count);
        Assert.Equal(3, plan.HandOver.Distinct().Count());
    }

    [Fact]
    public void A_pbx_handed_over_is_not_also_restarted_though_its_connection_changed()
    {
        var held = Enumerable.Range(0, 4).ToDictionary(i => Key(i), _ => "v0");
        var listed = Pbxes(4, heldBy: (4, Self));

        var plan = FleetPlanner.Plan(listed, held, Self, Now, new Random(13), alive: ["bridge-b"]);

        var handed = Assert.Single(plan.HandOver);
        Assert.Equal(3, plan.Restart.Count);
        Assert.DoesNotContain(handed, plan.Restart);
    }

    private static FleetPbxKey Key(int i) => new("t1", $"pbx{i}");

    private static List<FleetPbxView> Pbxes(int count, (int Count, string Holder)? heldBy = null) =>
        [.. Enumerable.Range(0, count).Select(i => heldBy is { } h && i < h.Count
            ? new FleetPbxView(Key(i), "v1", h.Holder, Now.AddSeconds(25))
            : new FleetPbxView(Key(i), "v1", null, null))];
}
