namespace Telephony.Core.Tenancy;

/// <summary>A FoodFlow tenant and its call-centre targets.</summary>
public sealed class TenantRecord
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public int SlaSeconds { get; init; } = 20;
    public int ShortAbandonSeconds { get; init; } = 5;
    public DateTime CreatedAt { get; init; }
}
