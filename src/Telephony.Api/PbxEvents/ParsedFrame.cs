using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>A journaled frame read into its event. Immutable, so a grain call in the same silo passes it without a copy.</summary>
[GenerateSerializer, Immutable, Alias("Telephony.ParsedFrame")]
internal sealed record ParsedFrame(
    [property: Id(0)] string DedupeKey,
    [property: Id(1)] PbxEvent Event,
    [property: Id(2)] string? EventType,
    [property: Id(3)] DateTimeOffset ReceivedAt)
{
    /// <summary>Found unapplied in the journal: its effect may have been applied in memory but lost by the database.</summary>
    [Id(4)] public bool Replayed { get; init; }

    /// <summary>The journal batch the frame was journaled with; marked applied once all its frames were.</summary>
    [Id(5)] public long BatchId { get; init; }
}
