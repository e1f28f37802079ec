namespace Telephony.PbxBridge.Tests.Bridge;

internal sealed record SyncedExtension(string Number, string? Name, bool Registered, string? Presence);
