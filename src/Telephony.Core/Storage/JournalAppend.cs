namespace Telephony.Core.Storage;

/// <summary>What one append journaled: the batch its new frames belong to, and their dedupe keys.</summary>
public sealed record JournalAppend(long BatchId, IReadOnlySet<string> Fresh);
