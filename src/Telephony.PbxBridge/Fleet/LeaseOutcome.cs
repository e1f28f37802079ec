namespace Telephony.PbxBridge.Fleet;

/// <summary>How the API answered an acquire or renew.</summary>
internal enum LeaseOutcome
{
    /// <summary>The lease is ours (at the epoch in the answer).</summary>
    Granted,

    /// <summary>409: another bridge holds it, or ours ended.</summary>
    HeldByOther,

    /// <summary>404: the PBX is gone or has no connection any more, so no fleet bridge serves it.</summary>
    NotServed,
}
