namespace Telephony.Core.Yeastar;

/// <summary>
/// P-Series 30011 Call Status Changed, 30013 Call Transfer, 30014 Call Forward; S-Series <c>CallStatus</c>,
/// <c>Tranfer</c> (sic) and <c>Forward</c>. Each 30011 is a full snapshot of the call's members (api.md A8.1).
/// </summary>
[GenerateSerializer, Alias("Telephony.Yeastar.CallStatusChanged")]
public sealed record CallStatusChanged(
    [property: Id(0)] string CallId,
    [property: Id(1)] CallChangeKind Kind,
    [property: Id(2)] IReadOnlyList<PbxCallMember> Members) : PbxEvent;
