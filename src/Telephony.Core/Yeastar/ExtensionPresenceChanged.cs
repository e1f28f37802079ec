namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30009 Extension Presence Status Changed (<c>available</c>, <c>away</c>, <c>business_trip</c>, …).</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.ExtensionPresenceChanged")]
public sealed record ExtensionPresenceChanged(
    [property: Id(0)] string Extension,
    [property: Id(1)] string Presence) : PbxEvent;
