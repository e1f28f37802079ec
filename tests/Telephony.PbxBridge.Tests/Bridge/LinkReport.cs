namespace Telephony.PbxBridge.Tests.Bridge;

internal sealed record LinkReport(string PbxId, string BridgeId, bool Connected, string? Reason);
