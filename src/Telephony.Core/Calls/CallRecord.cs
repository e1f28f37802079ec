using System.Collections.Immutable;

namespace Telephony.Core.Calls;

/// <summary>A call as stored and as shown: the lifecycle state, its identity within the tenant, and what people linked to it.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.CallRecord")]
public sealed record CallRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PbxId,
    [property: Id(3)] string? ExternalE164,
    [property: Id(4)] CallState State)
{
    /// <summary>The customer an agent linked (or the directory recognised).</summary>
    [Id(5)] public CallCustomer? Customer { get; init; }

    /// <summary>FoodFlow order ids linked to the call, in the order they were linked.</summary>
    [Id(6)] public ImmutableList<string> Orders { get; init; } = [];

    /// <summary>Agents' notes, oldest first.</summary>
    [Id(7)] public ImmutableList<CallNote> Notes { get; init; } = [];

    /// <summary>The recognised caller's profile (directory or CRM), looked up, never stored with the call.</summary>
    [Id(8)] public Customers.CustomerProfile? Profile { get; init; }

    /// <summary>Where the call's recording stands, as read with the call from PostgreSQL; null when it has none, or not read (a live call in a grain).</summary>
    [Id(9)] public Recordings.RecordingStatus? RecordingStatus { get; init; }

    public static CallRecord From(string tenantId, string pbxId, Guid id, CallState state, string? externalE164) =>
        new(id, tenantId, pbxId, externalE164, state);
}
