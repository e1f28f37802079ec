namespace Telephony.PbxBridge.ApiLink;

/// <summary>One extension as <c>PUT /api/pbx/{pbxId}/extensions</c> takes it.</summary>
internal sealed record ExtensionSyncItem(string Number, string? Name, bool Registered, string? Presence);
