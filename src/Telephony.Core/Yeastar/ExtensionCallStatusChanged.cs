namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30008 Extension Call Status Changed; S-Series <c>ExtensionStatus</c> (Ringing, Busy, Registered = idle again).</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.ExtensionCallStatusChanged")]
public sealed record ExtensionCallStatusChanged(
    [property: Id(0)] string Extension,
    [property: Id(1)] ExtensionCallStatus Status) : PbxEvent;
