namespace Telephony.Core.Calls;

/// <summary>A FoodFlow customer linked to a call.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.CallCustomer")]
public sealed record CallCustomer(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Phone);
