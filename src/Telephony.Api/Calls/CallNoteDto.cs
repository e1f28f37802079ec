namespace Telephony.Api.Calls;

internal sealed record CallNoteDto(Guid Id, string Note, string? Author, DateTimeOffset CreatedAt);
