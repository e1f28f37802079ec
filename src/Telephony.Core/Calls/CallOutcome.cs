namespace Telephony.Core.Calls;

/// <summary>Final outcome of a call or a leg; Missed covers no answer, caller hang-up while ringing and voicemail (design.md §3).</summary>
public enum CallOutcome
{
    Answered,
    Missed,
    Busy,
    Failed,
}
