namespace Telephony.Api.Calls;

internal sealed record CallTransferDto(string? FromExtension, string To, DateTimeOffset At, string Kind);
