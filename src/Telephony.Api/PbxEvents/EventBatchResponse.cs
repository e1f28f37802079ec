namespace Telephony.Api.PbxEvents;

/// <summary>The seqs now durably journaled (or already were): the bridge drops exactly these from its spool.</summary>
internal sealed record EventBatchResponse(IReadOnlyList<long> Accepted, int Duplicates, int ParseErrors);
