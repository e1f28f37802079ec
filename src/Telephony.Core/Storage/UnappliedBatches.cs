namespace Telephony.Core.Storage;

/// <summary>Journal batches not marked applied, oldest first, and their readable frames (a batch may have none left).</summary>
public sealed record UnappliedBatches(IReadOnlyList<long> BatchIds, IReadOnlyList<UnappliedFrame> Frames);
