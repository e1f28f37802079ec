namespace Telephony.Core.Customers;

/// <summary>One of a customer's recent orders, as the pop-up shows it.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.CustomerOrder")]
public sealed record CustomerOrder(
    [property: Id(0)] string OrderId,
    [property: Id(1)] DateTimeOffset PlacedAt,
    [property: Id(2)] decimal Total);
