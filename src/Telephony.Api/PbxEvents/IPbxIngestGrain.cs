using Orleans.Concurrency;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// One PBX's apply queue, keyed by <see cref="PbxIngestGrainKey"/>. Orleans keeps one activation per PBX in the
/// whole cluster, so a PBX's frames are applied in the order they were journaled whichever replica took the batch.
/// </summary>
internal interface IPbxIngestGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues journaled frames behind those already queued. When nothing is ahead the call waits for them to be applied
    /// (at most <paramref name="wait"/>), so a quiet PBX's call log is readable when the bridge hears "accepted"; for a
    /// batch of a hundred frames or more (a spool emptying), behind a backlog, or while the bridge streams thousands of
    /// frames a second, it returns at once and the frames follow in order.
    /// </summary>
    /// <returns>Whether the frames were applied before the call returned.</returns>
    Task<bool> EnqueueAsync(IReadOnlyList<ParsedFrame> frames, TimeSpan wait);

    /// <summary>
    /// Shows the new calls among a live batch's frames before the batch is journaled, so a screen pop never waits for
    /// the journal's commit (the request that brought them journals them meanwhile, and then they are applied as
    /// always). A new call is one whose first frame here is a call status this grain has not seen the call in before.
    /// </summary>
    [OneWay]
    Task ShowNewCallsAsync(IReadOnlyList<ParsedFrame> frames);

    /// <summary>Queues frames found unapplied in the journal and waits for them; returns how many were applied.</summary>
    Task<int> ReplayAsync(IReadOnlyList<ParsedFrame> frames);
}
