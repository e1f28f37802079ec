namespace Telephony.Core.Calls;

/// <summary>A call as stored and as shown: the lifecycle state plus its identity within the tenant.</summary>
[GenerateSerializer, Alias("Telephony.CallRecord")]
public sealed record CallRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PbxId,
    [property: Id(3)] string? ExternalE164,
    [property: Id(4)] CallState State)
{
    public static CallRecord From(string tenantId, string pbxId, Guid id, CallState state, string? externalE164) =>
        new(id, tenantId, pbxId, externalE164, state);
}
