namespace Telephony.Core.Yeastar;

/// <summary>The PBX call id an event belongs to, or null for events about extensions or the PBX itself.</summary>
public static class PbxEventCallId
{
    public static string? Of(PbxEvent? pbxEvent) => pbxEvent switch
    {
        CallStatusChanged e => e.CallId,
        CallFailed e => e.CallId,
        CallDetailRecord e => e.CallId,
        SatisfactionSurveyed e => e.CallId,
        _ => null,
    };
}
