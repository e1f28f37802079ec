namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30012 New CDR; S-Series <c>NewCdr</c>. Authoritative for a call's outcome and durations.</summary>
/// <param name="CallId">The call id shared with the live call events.</param>
/// <param name="TimeStart">When the call started: an instant, or the PBX's wall clock that its zone turns into one.</param>
/// <param name="From">Caller number.</param>
/// <param name="To">Callee number.</param>
/// <param name="CallDurationSeconds">Start to end.</param>
/// <param name="TalkDurationSeconds">Answer to end.</param>
/// <param name="Disposition">The final status.</param>
/// <param name="CallType">Inbound, outbound or internal.</param>
/// <param name="SourceTrunk">Inbound trunk; null when blank.</param>
/// <param name="DestinationTrunk">Outbound trunk; null when blank.</param>
/// <param name="Recording">Recording file name; null when none.</param>
/// <param name="DidNumber">Number the caller dialled; null when blank.</param>
/// <param name="Uid">CDR unique id (newer P-Series firmware); null when absent.</param>
[GenerateSerializer, Alias("Telephony.Yeastar.CallDetailRecord")]
public sealed record CallDetailRecord(
    [property: Id(0)] string CallId,
    [property: Id(1)] PbxTime TimeStart,
    [property: Id(2)] string From,
    [property: Id(3)] string To,
    [property: Id(4)] int CallDurationSeconds,
    [property: Id(5)] int TalkDurationSeconds,
    [property: Id(6)] CdrDisposition Disposition,
    [property: Id(7)] CdrCallType CallType,
    [property: Id(8)] string? SourceTrunk,
    [property: Id(9)] string? DestinationTrunk,
    [property: Id(10)] string? Recording,
    [property: Id(11)] string? DidNumber,
    [property: Id(12)] string? Uid) : PbxEvent;
