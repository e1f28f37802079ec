namespace Telephony.PbxBridge.ApiLink;

/// <summary>Body of <c>PUT /api/pbx/{pbxId}/active-calls</c>: every call the PBX has live right now.</summary>
internal sealed record ActiveCallsSnapshot(IReadOnlyList<string> CallIds);
