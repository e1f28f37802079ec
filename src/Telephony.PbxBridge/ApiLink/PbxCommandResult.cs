namespace Telephony.PbxBridge.ApiLink;

/// <summary>What the PBX answered to a command: errcode 0 with its call id, or its errcode and errmsg (no other fields).</summary>
internal sealed record PbxCommandResult(int Errcode, string Errmsg, string? CallId);
