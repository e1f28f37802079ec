namespace Telephony.Core.Fleet;

/// <summary>What a fleet bridge says it holds: the lease of one PBX, as <paramref name="Holder"/>, at <paramref name="Epoch"/>.</summary>
public sealed record LeaseClaim(string Holder, long Epoch);
