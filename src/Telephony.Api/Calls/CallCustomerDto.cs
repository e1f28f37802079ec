namespace Telephony.Api.Calls;

internal sealed record CallCustomerDto(string CustomerId, string? CustomerName, string? CustomerPhone);
