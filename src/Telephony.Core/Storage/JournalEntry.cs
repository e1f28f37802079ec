namespace Telephony.Core.Storage;

/// <summary>One raw PBX frame as the bridge delivered it, with what parsing made of it.</summary>
public sealed record JournalEntry(
    string DedupeKey,
    string BridgeId,
    long Seq,
    string Source,
    DateTimeOffset ReceivedAt,
    string Frame,
    string? EventType,
    string? PbxCallId,
    string? ParseError);
