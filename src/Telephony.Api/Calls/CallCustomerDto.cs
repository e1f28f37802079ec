using Telephony.Core.Calls;
using Telephony.Core.Customers;

namespace Telephony.Api.Calls;

/// <summary>The linked or recognised customer; the profile fields come with a recognised caller.</summary>
internal sealed record CallCustomerDto(
    string CustomerId,
    string? CustomerName,
    string? CustomerPhone,
    string? Email,
    string? LoyaltyTier,
    IReadOnlyList<CustomerOrderDto> RecentOrders,
    IReadOnlyList<string> LastNotes)
{
    public static CallCustomerDto? For(CallCustomer? customer, CustomerProfile? profile)
    {
        if (customer is null)
        {
            return null;
        }

        var matching = profile?.CustomerId == customer.CustomerId ? profile : null;
        return new CallCustomerDto(
            customer.CustomerId,
            customer.Name,
            customer.Phone,
            matching?.Email,
            matching?.LoyaltyTier,
            [.. (matching?.RecentOrders ?? []).Select(o => new CustomerOrderDto(o.OrderId, o.PlacedAt, o.Total))],
            matching?.LastNotes ?? []);
    }
}
