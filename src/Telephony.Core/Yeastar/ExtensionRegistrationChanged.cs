namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30007 Extension Registration Status Changed; S-Series <c>ExtensionStatus</c> Unregistered/Unavailable.</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.ExtensionRegistrationChanged")]
public sealed record ExtensionRegistrationChanged(
    [property: Id(0)] string Extension,
    [property: Id(1)] bool Registered) : PbxEvent;
