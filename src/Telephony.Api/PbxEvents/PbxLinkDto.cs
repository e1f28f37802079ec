namespace Telephony.Api.PbxEvents;

internal sealed record PbxLinkDto(string PbxId, bool Connected, string? Reason);
