using System.Collections.Immutable;

namespace Telephony.Core.Customers;

/// <summary>What the incoming-call pop-up shows about a known caller.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.CustomerProfile")]
public sealed record CustomerProfile(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Phone,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? LoyaltyTier,
    [property: Id(5)] ImmutableList<CustomerOrder> RecentOrders)
{
    /// <summary>Notes from this number's last calls ("last interaction"), newest first.</summary>
    [Id(6)] public ImmutableList<string> LastNotes { get; init; } = [];
}
