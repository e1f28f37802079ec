namespace Telephony.Api.Calls;

internal sealed record CustomerOrderDto(string OrderId, DateTimeOffset PlacedAt, decimal Total);
