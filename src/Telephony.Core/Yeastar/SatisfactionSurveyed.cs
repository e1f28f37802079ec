namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30019 Satisfaction Survey Feedback; S-Series <c>satisfaction</c>. Result is the DTMF key pressed.</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.SatisfactionSurveyed")]
public sealed record SatisfactionSurveyed(
    [property: Id(0)] string CallId,
    [property: Id(1)] string Result) : PbxEvent;
