using Telephony.Api.LiveEvents;
using Telephony.Core.Calls;

namespace Telephony.Api.Calls;

/// <summary>Which live events a state change means: the original service's names, in order.</summary>
internal static class LiveCallEvents
{
    public static IEnumerable<string> Between(CallState? before, CallState after)
    {
        if (before is null)
        {
            yield return LiveEventNames.CallNew;
        }

        var from = before?.Status;
        if (after.Status == from)
        {
            yield return LiveEventNames.CallUpdated;
            yield break;
        }

        if (after.Status == CallStatus.Ringing)
        {
            yield return LiveEventNames.CallRinging;
        }

        // A CDR-only call jumps straight to ended; it was still answered, and a board wants to know.
        if (after.AnsweredAt is not null && from is null or CallStatus.Ringing)
        {
            yield return LiveEventNames.CallAnswered;
        }

        if (after.Status == CallStatus.Ended)
        {
            yield return LiveEventNames.CallEnded;
        }
    }
}
