namespace Telephony.PbxBridge.Fleet;

/// <summary>What /health/ready reports in fleet mode: when the listing was last read, why it failed since, and the counts.</summary>
internal sealed record FleetStatus(DateTimeOffset? ListedAt, string? ListingError, int Listed, int Held);
