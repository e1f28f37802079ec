namespace Telephony.Core.Yeastar;

/// <summary>A known, valid frame that changes no call: trunk status, invitations, DTMF, agent events, heartbeat and subscribe replies.</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.InformationalPbxEvent")]
public sealed record InformationalPbxEvent([property: Id(0)] string EventType) : PbxEvent;
