namespace Telephony.Core.Calls;

/// <summary>Live call status; it only moves forward: Ringing → Answered → Ended (design.md §3).</summary>
public enum CallStatus
{
    Ringing,
    Answered,
    Ended,
}
