namespace Telephony.Api.Commands;

/// <summary>The PBX accepted the command; <see cref="PbxCallId"/> is its call id (dial failures arrive later as 30015).</summary>
internal sealed record CommandAcceptedDto(Guid CommandId, string PbxId, string? PbxCallId);
