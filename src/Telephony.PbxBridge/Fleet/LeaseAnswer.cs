namespace Telephony.PbxBridge.Fleet;

/// <summary>An acquire or renew's answer; <see cref="Lease"/> is set when <see cref="Outcome"/> is Granted.</summary>
internal sealed record LeaseAnswer(LeaseOutcome Outcome, FleetLeaseState? Lease);
