namespace Telephony.Core.Calls;

/// <summary>Which way a call goes relative to the PBX (design.md §3).</summary>
public enum CallDirection
{
    Inbound,
    Outbound,
    Internal,
}
