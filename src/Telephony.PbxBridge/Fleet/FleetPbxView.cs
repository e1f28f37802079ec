namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// What <see cref="FleetPlanner"/> needs to know of a listed PBX: its connection version (null when it cannot be
/// served) and its lease holder and expiry as listed.
/// </summary>
internal sealed record FleetPbxView(FleetPbxKey Pbx, string? ConnectionVersion, string? LeaseHolder, DateTimeOffset? LeaseExpiresAt)
{
    public bool IsServable => ConnectionVersion is not null;

    /// <summary>Nobody holds it now: never leased, released, or expired.</summary>
    public bool IsFree(DateTimeOffset now) => LeaseHolder is null || LeaseExpiresAt is not { } expires || expires <= now;
}
