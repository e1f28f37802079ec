namespace Telephony.Api.Calls;

internal sealed record CallPageDto(IReadOnlyList<CallDto> Items, long Total, int Limit, int Offset);
