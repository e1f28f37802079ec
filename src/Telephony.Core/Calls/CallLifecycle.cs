using System.Collections.Immutable;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Calls;

/// <summary>
/// The call state machine (design.md §3): live 30011/CallStatus snapshots drive status and timestamps, the CDR is
/// authoritative for outcome and durations, status only moves forward, and replaying an event changes nothing.
/// </summary>
public static class CallLifecycle
{
    private const string TransferKind = "transfer";
    private const string ForwardKind = "forward";

    /// <summary>Applies one event; returns the same instance when the event changes nothing.</summary>
    /// <param name="state">The call so far.</param>
    /// <param name="pbxEvent">The parsed PBX event; events for other calls are ignored.</param>
    /// <param name="receivedAt">When the bridge received the frame (live frames carry no time).</param>
    /// <param name="pbxTimeZone">The PBX's zone, to read CDR wall-clock times.</param>
    public static CallState Apply(CallState state, PbxEvent pbxEvent, DateTimeOffset receivedAt, TimeZoneInfo pbxTimeZone)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pbxEvent);
        ArgumentNullException.ThrowIfNull(pbxTimeZone);
        var at = receivedAt.ToUniversalTime();
        var next = pbxEvent switch
        {
            CallStatusChanged e when IsFor(state, e.CallId) => ApplyMembers(state, e, at),
            CallFailed e when IsFor(state, e.CallId) => ApplyFailure(state, e, at),
            CallDetailRecord e when IsFor(state, e.CallId) => ApplyCdr(state, e, pbxTimeZone),
            SatisfactionSurveyed e when IsFor(state, e.CallId) => state with { Satisfaction = e.Result },
            _ => state,
        };

        // Lists are only rebuilt when they change, so record equality tells whether anything did.
        if (next == state)
        {
            return state;
        }

        return next with { LastEventAt = at > state.LastEventAt ? at : state.LastEventAt };
    }

    /// <summary>Ends a call that got no CDR within the grace period (or is stuck), deciding the outcome from live facts.</summary>
    public static CallState FinalizeWithoutCdr(CallState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (IsFinal(state))
        {
            return state;
        }

        // A stuck call most likely ended around its last event, not when the sweep noticed it.
        var end = state.EndedAt
            ?? (state.LastEventAt > DateTimeOffset.MinValue ? state.LastEventAt : now.ToUniversalTime());
        if (state.StartedAt is { } started && end < started)
        {
            end = started;
        }

        var finalized = state with
        {
            Status = CallStatus.Ended,
            EndedAt = end,
            Outcome = state.AnsweredAt is null ? CallOutcome.Missed : CallOutcome.Answered,
            OnHold = false,
            Legs = CloseOpenLegs(state.Legs, end),
        };
        return WithLiveTimings(finalized);
    }

    /// <summary>True when the call has ended and its outcome is settled (by the CDR, a failure, or finalization).</summary>
    public static bool IsFinal(CallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status == CallStatus.Ended && (state.HasCdr || state.Outcome is not null);
    }

    private static bool IsFor(CallState state, string callId) => string.Equals(state.PbxCallId, callId, StringComparison.Ordinal);

    private static CallState ApplyMembers(CallState state, CallStatusChanged change, DateTimeOffset at)
    {
        // An ended call never reopens: late or reordered snapshots (ANSWER after BYE) are ignored (design.md §3).
        if (state.Status == CallStatus.Ended)
        {
            return state;
        }

        // A frame without members ("members": null from a live PBX) says nothing about the legs; read as a snapshot
        // it would close every ringing leg, so it changes nothing.
        var members = change.Members;
        if (members.Count == 0)
        {
            return state;
        }

        var s = WithParties(state, members);
        s = s with { StartedAt = Earliest(s.StartedAt, at) };

        var ringGroup = members.FirstOrDefault(m => m.Kind == PbxMemberKind.Extension && m.CallPath is not null)?.CallPath;
        if (s.RingGroup is null && ringGroup is not null)
        {
            s = s with { RingGroup = ringGroup };
        }

        string? transferTarget = null;
        if (change.Kind != CallChangeKind.Status)
        {
            (s, transferTarget) = WithTransfer(s, change, at);
        }

        var legs = s.Legs;
        foreach (var member in members)
        {
            if (member.Kind == PbxMemberKind.Extension && member.Number is { } number)
            {
                legs = UpdateLeg(legs, number, member.Status, at, state.Status, number == transferTarget);
            }
        }

        // 30011 is a full snapshot (api.md A8.1): a ringing extension that is no longer listed stopped ringing.
        // Talking legs end only on their BYE or with the call, so a reordered older snapshot cannot cut them short.
        if (change.Kind == CallChangeKind.Status)
        {
            for (var i = 0; i < legs.Count; i++)
            {
                var leg = legs[i];
                if (leg.EndedAt is null && leg.AnsweredAt is null
                    && !members.Any(m => m.Kind == PbxMemberKind.Extension && m.Number == leg.Extension))
                {
                    legs = legs.SetItem(i, Close(leg, at));
                }
            }
        }

        s = s with { Legs = legs };

        var answered = members.Any(m =>
            (m.Kind == PbxMemberKind.Extension && m.Status is PbxMemberStatus.Answer or PbxMemberStatus.Hold)
            || (m.Kind == PbxMemberKind.Outbound && m.Status is PbxMemberStatus.Answer or PbxMemberStatus.Answered));
        if (answered && s.Status == CallStatus.Ringing)
        {
            s = s with { Status = CallStatus.Answered, AnsweredAt = Earliest(s.AnsweredAt, at) };
        }

        if (change.Kind == CallChangeKind.Status)
        {
            s = s with { OnHold = members.Any(m => m.Status == PbxMemberStatus.Hold) };
        }

        if (members.Count > 0 && members.All(m => m.Status == PbxMemberStatus.Bye))
        {
            s = s with { Status = CallStatus.Ended, EndedAt = s.EndedAt ?? at, OnHold = false, Legs = CloseOpenLegs(s.Legs, at) };
        }

        return WithLiveTimings(WithHandlingExtension(s, members));
    }

    private static ImmutableList<CallLeg> UpdateLeg(
        ImmutableList<CallLeg> legs, string number, PbxMemberStatus status, DateTimeOffset at, CallStatus callStatusBefore, bool isTransferTarget)
    {
        var index = legs.FindLastIndex(l => l.Extension == number);
        var leg = index >= 0 ? legs[index] : null;
        var open = leg is not null && leg.EndedAt is null;

        // S-Series transfer/forward members carry no status: the target of a transfer is being rung.
        if (status == PbxMemberStatus.Unknown && isTransferTarget)
        {
            status = PbxMemberStatus.Ring;
        }

        switch (status)
        {
            case PbxMemberStatus.Ring or PbxMemberStatus.EarlyMedia:
                // A queue may ring the same phone again before anyone answers; after an answer, a RING for a
                // finished leg is a stale snapshot unless the call was just transferred to it.
                var ringsAgain = leg is not null && !open && (callStatusBefore == CallStatus.Ringing || isTransferTarget);
                return leg is null || ringsAgain ? legs.Add(new CallLeg(number, at, null, null, null)) : legs;
            case PbxMemberStatus.Answer:
                if (leg is null)
                {
                    return legs.Add(new CallLeg(number, at, at, null, null));
                }

                return open && leg.AnsweredAt is null ? legs.SetItem(index, leg with { AnsweredAt = at }) : legs;
            case PbxMemberStatus.Hold:
                // Hold implies the leg was answered, even if the ANSWER snapshot was lost.
                return open && leg!.AnsweredAt is null ? legs.SetItem(index, leg with { AnsweredAt = at }) : legs;
            case PbxMemberStatus.Bye:
                return open ? legs.SetItem(index, Close(leg!, at)) : legs;
            default:
                // ALERT/ANSWERED are the calling side: it did not ring, so it gets no leg.
                return legs;
        }
    }

    private static (CallState State, string? TargetExtension) WithTransfer(CallState s, CallStatusChanged change, DateTimeOffset at)
    {
        var members = change.Members;
        var from = s.Extension
            ?? members.FirstOrDefault(m => m.Kind == PbxMemberKind.Extension && m.Status == PbxMemberStatus.Bye)?.Number;
        var targetExtension = members.LastOrDefault(m =>
            m.Kind == PbxMemberKind.Extension
            && m.Number != from
            && m.Status is PbxMemberStatus.Ring or PbxMemberStatus.EarlyMedia or PbxMemberStatus.Answer or PbxMemberStatus.Unknown)?.Number;

        // A transfer/forward to an outside number shows up as an outbound member; the S-Series Forward frame
        // carries only the inbound leg, whose "to" is the forwarding target (K2V2/event-CallForward.html).
        var target = targetExtension
            ?? members.FirstOrDefault(m => m.Kind == PbxMemberKind.Outbound)?.To
            ?? (change.Kind == CallChangeKind.Forward ? members.FirstOrDefault(m => m.Kind == PbxMemberKind.Inbound)?.To : null);
        if (target is null)
        {
            return (s, null);
        }

        var kind = change.Kind == CallChangeKind.Forward ? ForwardKind : TransferKind;
        var known = s.Transfers.Any(t => t.FromExtension == from && t.To == target && t.Kind == kind);
        return known
            ? (s, targetExtension)
            : (s with { Transfers = s.Transfers.Add(new CallTransfer(from, target, at, kind)) }, targetExtension);
    }

    private static CallState WithParties(CallState s, IReadOnlyList<PbxCallMember> members)
    {
        var inbound = members.FirstOrDefault(m => m.Kind == PbxMemberKind.Inbound);
        var outbound = members.FirstOrDefault(m => m.Kind == PbxMemberKind.Outbound);
        var extensions = members.Where(m => m.Kind == PbxMemberKind.Extension && m.Number is not null).ToList();
        CallDirection? observed = inbound is not null ? CallDirection.Inbound
            : outbound is not null ? CallDirection.Outbound
            : extensions.Count > 0 ? CallDirection.Internal
            : null;

        // Direction is settled by the first trunk leg seen; an internal-looking start may still become external
        // (call/dial rings the caller's own extension first, api.md A8.1), but inbound never turns outbound.
        var upgrade = observed is not null && (s.Direction is null || (s.Direction == CallDirection.Internal && observed != CallDirection.Internal));
        if (!upgrade)
        {
            return s.Trunk is null && (inbound ?? outbound)?.TrunkName is { } trunk ? s with { Trunk = trunk } : s;
        }

        switch (observed)
        {
            case CallDirection.Inbound:
                return s with { Direction = observed, From = inbound!.From, To = inbound.To, ExternalNumber = inbound.From, Trunk = inbound.TrunkName };
            case CallDirection.Outbound:
                return s with { Direction = observed, From = outbound!.From, To = outbound.To, ExternalNumber = outbound.To, Trunk = outbound.TrunkName };
            default:
                var caller = extensions.FirstOrDefault(m => m.Status is PbxMemberStatus.Alert or PbxMemberStatus.Answered)?.Number;
                var callee = extensions.FirstOrDefault(m => m.Number != caller && m.Status is not (PbxMemberStatus.Alert or PbxMemberStatus.Answered))?.Number;
                return s with { Direction = observed, From = caller ?? s.From, To = callee ?? s.To, ExternalNumber = null };
        }
    }

    private static CallState WithHandlingExtension(CallState s, IReadOnlyList<PbxCallMember> members)
    {
        CallLeg? answeredLast = null;
        foreach (var leg in s.Legs)
        {
            if (leg.AnsweredAt is not null && (answeredLast is null || leg.AnsweredAt >= answeredLast.AnsweredAt))
            {
                answeredLast = leg;
            }
        }

        var extension = answeredLast?.Extension
            ?? s.Extension
            ?? s.Legs.FirstOrDefault()?.Extension
            ?? members.FirstOrDefault(m => m.Kind == PbxMemberKind.Extension)?.Number;
        return extension == s.Extension ? s : s with { Extension = extension };
    }

    private static CallState ApplyFailure(CallState state, CallFailed failure, DateTimeOffset at)
    {
        if (state.HasCdr || IsFinal(state))
        {
            return state;
        }

        var members = failure.Members;
        var hasTrunk = members.Any(m => m.Kind != PbxMemberKind.Extension);
        var s = hasTrunk ? WithParties(state, members) : state;
        var firstExtension = members.FirstOrDefault(m => m.Kind == PbxMemberKind.Extension)?.Number;
        var end = s.EndedAt ?? at;
        s = s with
        {
            From = s.From ?? firstExtension,
            Extension = s.Extension ?? firstExtension,
            Status = CallStatus.Ended,
            StartedAt = Earliest(s.StartedAt, at),
            EndedAt = end,
            Outcome = s.AnsweredAt is not null ? CallOutcome.Answered : FailureOutcome(failure.Reason),
            FailureReason = failure.Reason,
            OnHold = false,
            Legs = CloseOpenLegs(s.Legs, end),
        };
        return WithLiveTimings(s);
    }

    // "486 Busy here" and "User Busy" (api.md A8.3) mean the other side was busy. Live PBXs also send
    // "487 Request Terminated" when the caller hangs up while it rings (Captures/p-30015-request-terminated-inbound.json):
    // nobody answered, so the call was missed. Every other reason is a failure.
    private static CallOutcome FailureOutcome(string reason) =>
        reason.Contains("busy", StringComparison.OrdinalIgnoreCase) ? CallOutcome.Busy
        : reason.StartsWith("487", StringComparison.Ordinal) || reason.Contains("request terminated", StringComparison.OrdinalIgnoreCase) ? CallOutcome.Missed
        : CallOutcome.Failed;

    private static CallState ApplyCdr(CallState state, CallDetailRecord cdr, TimeZoneInfo zone)
    {
        var direction = cdr.CallType switch
        {
            CdrCallType.Inbound => CallDirection.Inbound,
            CdrCallType.Outbound => CallDirection.Outbound,
            _ => CallDirection.Internal,
        };
        var outcome = cdr.Disposition switch
        {
            CdrDisposition.Answered => CallOutcome.Answered,
            CdrDisposition.Busy => CallOutcome.Busy,
            CdrDisposition.Failed => CallOutcome.Failed,
            _ => CallOutcome.Missed,
        };
        var external = direction switch
        {
            CallDirection.Inbound => cdr.From,
            CallDirection.Outbound => cdr.To,
            _ => null,
        };

        var s = state;
        if (s.Direction != direction)
        {
            // The CDR's type wins (e.g. a call/dial that first looked internal); its parties go with it.
            s = s with { Direction = direction, From = cdr.From, To = cdr.To, ExternalNumber = external };
        }
        else
        {
            s = s with { From = s.From ?? cdr.From, To = s.To ?? cdr.To, ExternalNumber = s.ExternalNumber ?? external };
        }

        var callSeconds = cdr.CallDurationSeconds;
        var talkSeconds = Math.Min(cdr.TalkDurationSeconds, callSeconds);

        // Live timestamps are kept when we saw them; missing ones are derived from the CDR, anchored on the live
        // start when there is one so both clocks are not mixed, else on the CDR's start (an instant, or time_start in the PBX's zone).
        var started = s.StartedAt ?? cdr.TimeStart.ToUtc(zone);
        var ended = s.EndedAt ?? started.AddSeconds(callSeconds);
        DateTimeOffset? answeredAt = outcome == CallOutcome.Answered
            ? s.AnsweredAt ?? ended.AddSeconds(-talkSeconds)
            : null;

        var trunk = direction == CallDirection.Outbound ? cdr.DestinationTrunk ?? cdr.SourceTrunk : cdr.SourceTrunk ?? cdr.DestinationTrunk;
        var extension = direction == CallDirection.Outbound ? cdr.From : cdr.To;

        return s with
        {
            Status = CallStatus.Ended,
            Outcome = outcome,
            HasCdr = true,
            OnHold = false,
            StartedAt = started,
            AnsweredAt = answeredAt,
            EndedAt = ended,
            // The PBX counts voicemail time as talk_duration; nobody at the restaurant talked, so a call that was
            // not answered has no talk time and rings for call − talk seconds.
            RingSeconds = callSeconds - talkSeconds,
            TalkSeconds = outcome == CallOutcome.Answered ? talkSeconds : 0,
            DurationSeconds = callSeconds,
            Trunk = s.Trunk ?? trunk,
            Extension = s.Extension ?? (string.IsNullOrWhiteSpace(extension) ? null : extension),
            Recording = cdr.Recording ?? s.Recording,
            Legs = CloseOpenLegs(s.Legs, ended),
        };
    }

    // A call that ended unanswered talked for 0 seconds (not "unknown"), as its CDR would say.
    private static CallState WithLiveTimings(CallState s) => s with
    {
        RingSeconds = Seconds(s.StartedAt, s.AnsweredAt ?? s.EndedAt),
        TalkSeconds = s.AnsweredAt is null && s.Status == CallStatus.Ended ? 0 : Seconds(s.AnsweredAt, s.EndedAt),
        DurationSeconds = Seconds(s.StartedAt, s.EndedAt),
    };

    private static int? Seconds(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t ? (int)Math.Max(0, Math.Round((t - f).TotalSeconds, MidpointRounding.AwayFromZero)) : null;

    private static ImmutableList<CallLeg> CloseOpenLegs(ImmutableList<CallLeg> legs, DateTimeOffset at)
    {
        for (var i = 0; i < legs.Count; i++)
        {
            if (legs[i].EndedAt is null)
            {
                legs = legs.SetItem(i, Close(legs[i], at));
            }
        }

        return legs;
    }

    private static CallLeg Close(CallLeg leg, DateTimeOffset at) => leg with
    {
        EndedAt = at < leg.RingAt ? leg.RingAt : at,
        Outcome = leg.AnsweredAt is null ? CallOutcome.Missed : CallOutcome.Answered,
    };

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c <= candidate ? c : candidate;
}
