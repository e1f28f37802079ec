namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30015 Call Failed; S-Series <c>CallFailed</c>. <c>Reason</c> is Yeastar's text, typos included (api.md A8.3).</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.CallFailed")]
public sealed record CallFailed(
    [property: Id(0)] string CallId,
    [property: Id(1)] string Reason,
    [property: Id(2)] IReadOnlyList<PbxCallMember> Members) : PbxEvent;
