namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>A request the fake fleet API received: what (e.g. "POST events", "renew"), with which key and lease headers, and whether it was refused with 409.</summary>
internal sealed record FleetRequest(DateTimeOffset At, string Kind, string Authorization, string Tenant, string BridgeId, long? Epoch, string? Frames, bool Refused);
