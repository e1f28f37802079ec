using System.Collections.Immutable;

namespace Telephony.Core.Calls;

/// <summary>Everything known about one PBX call; produced only by <see cref="CallLifecycle"/>. Times are UTC.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.Calls.CallState")]
public sealed record CallState
{
    /// <summary>The PBX's <c>call_id</c>.</summary>
    [Id(0)] public required string PbxCallId { get; init; }

    /// <summary>Null until a member or the CDR tells; the CDR's type wins.</summary>
    [Id(1)] public CallDirection? Direction { get; init; }

    /// <summary>Ringing → Answered → Ended, never backwards.</summary>
    [Id(2)] public CallStatus Status { get; init; }

    /// <summary>Null while live, including after the last hang-up until the CDR arrives or the call is finalized.</summary>
    [Id(3)] public CallOutcome? Outcome { get; init; }

    /// <summary>Calling number.</summary>
    [Id(4)] public string? From { get; init; }

    /// <summary>Called number.</summary>
    [Id(5)] public string? To { get; init; }

    /// <summary>Raw external party number as the PBX gave it: inbound <c>from</c>, outbound <c>to</c>; null for internal calls.</summary>
    [Id(6)] public string? ExternalNumber { get; init; }

    /// <summary>Handling extension: the one that answered (follows transfers), else the first rung or calling extension.</summary>
    [Id(7)] public string? Extension { get; init; }

    /// <summary>Trunk the call used.</summary>
    [Id(8)] public string? Trunk { get; init; }

    /// <summary>The queue/ring group (<c>call_path</c>) that rang the extensions.</summary>
    [Id(9)] public string? RingGroup { get; init; }

    /// <summary>Every extension that rang.</summary>
    [Id(10)] public ImmutableList<CallLeg> Legs { get; init; } = [];

    /// <summary>Transfers and forwards in the order reported.</summary>
    [Id(11)] public ImmutableList<CallTransfer> Transfers { get; init; } = [];

    /// <summary>When the call started.</summary>
    [Id(12)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it was first answered.</summary>
    [Id(13)] public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>When it ended.</summary>
    [Id(14)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Start to answer (or to end when never answered).</summary>
    [Id(15)] public int? RingSeconds { get; init; }

    /// <summary>Answer to end.</summary>
    [Id(16)] public int? TalkSeconds { get; init; }

    /// <summary>Start to end.</summary>
    [Id(17)] public int? DurationSeconds { get; init; }

    /// <summary>Recording file name from the CDR.</summary>
    [Id(18)] public string? Recording { get; init; }

    /// <summary>Satisfaction survey result (DTMF key).</summary>
    [Id(19)] public string? Satisfaction { get; init; }

    /// <summary>The PBX's reason text when the call failed.</summary>
    [Id(20)] public string? FailureReason { get; init; }

    /// <summary>A member is on hold; the call stays Answered.</summary>
    [Id(21)] public bool OnHold { get; init; }

    /// <summary>The CDR arrived: outcome and durations are authoritative.</summary>
    [Id(22)] public bool HasCdr { get; init; }

    /// <summary>When the bridge received the last event that changed this state.</summary>
    [Id(23)] public DateTimeOffset LastEventAt { get; init; }

    /// <summary>A call nothing is known about yet.</summary>
    public static CallState New(string pbxCallId) => new() { PbxCallId = pbxCallId };
}
