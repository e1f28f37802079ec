namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>A command result as the bridge posted it; <see cref="Fields"/> lists every property sent (the API rejects unknown ones).</summary>
internal sealed record CommandResult(Guid CommandId, int Errcode, string Errmsg, string? CallId, IReadOnlyList<string> Fields);
