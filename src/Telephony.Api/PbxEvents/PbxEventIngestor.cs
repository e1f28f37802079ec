using System.Diagnostics.Metrics;
using System.Text.Json;
using Telephony.Core.Fleet;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Journal first (durable, deduplicated, one statement per batch), then queue the new frames at the PBX's ingest
/// grain, which applies them in order. A quiet PBX's batch is applied before the answer; a busy one's follows it.
/// New calls of a live batch are shown (the screen pop) while the journal commits; nothing is stored before it did.
/// </summary>
internal sealed class PbxEventIngestor(EventJournal journal, IGrainFactory grains, PbxSettingsLookup pbxSettings, IMeterFactory meters, TimeProvider time, ILogger<PbxEventIngestor> logger)
{
    // The longest a request waits for its frames to be applied once they are journaled (and so safe).
    private static readonly TimeSpan ApplyWait = TimeSpan.FromMilliseconds(500);

    // A live PBX's batches hold a few frames; a spool emptying sends hundreds, of calls long over: those are not shown early.
    private const int LiveBatchFrames = 50;

    private readonly Counter<long> _frames = meters.Create("Telephony.Api").CreateCounter<long>("telephony.pbx.frames");
    private readonly Counter<long> _parseErrors = meters.Create("Telephony.Api").CreateCounter<long>("telephony.pbx.frame_parse_errors");

    /// <param name="lease">A fleet bridge's lease: the batch is journaled only while it holds it; null (nothing journaled) otherwise.</param>
    public async Task<EventBatchResponse?> IngestAsync(string tenantId, string pbxId, string bridgeId, IReadOnlyList<EventBatchItem> items, CancellationToken cancellationToken, LeaseClaim? lease = null)
    {
        var entries = new List<JournalEntry>(items.Count);
        var parsed = new List<ParsedFrame>(items.Count);
        var parseErrors = 0;
        var dateFormat = await pbxSettings.FindDateFormatAsync(tenantId, pbxId, cancellationToken);
        foreach (var item in items)
        {
            var seq = item.Seq!.Value;
            var receivedAt = item.ReceivedAt ?? time.GetUtcNow();
            var frame = item.Frame.ValueKind == JsonValueKind.String ? item.Frame.GetString()! : item.Frame.GetRawText();
            var source = item.Source ?? "websocket";
            var result = Parse(item.Frame, frame, source, dateFormat);
            var key = FrameDedupeKey.For(result.Event, frame, receivedAt);
            entries.Add(new JournalEntry(key, bridgeId, seq, source, receivedAt, frame, result.EventType, PbxEventCallId.Of(result.Event), result.Error));
            if (result.Event is { } pbxEvent)
            {
                parsed.Add(new ParsedFrame(key, pbxEvent, result.EventType, receivedAt));
            }
            else
            {
                parseErrors++;
                _parseErrors.Add(1);
                Log.FrameNotParsed(logger, seq, pbxId, tenantId, result.Error ?? "unknown");
            }
        }

        _frames.Add(items.Count);
        var ingest = grains.GetGrain<IPbxIngestGrain>(PbxIngestGrainKey.For(tenantId, pbxId));
        if (parsed.Count is > 0 and <= LiveBatchFrames)
        {
            // One-way: the pop-up of a new call goes out while the journal commits, instead of after it.
            _ = ingest.ShowNewCallsAsync(parsed);
        }

        var appended = lease is null
            ? await journal.AppendAsync(tenantId, pbxId, entries, cancellationToken)
            : await journal.AppendFencedAsync(tenantId, pbxId, lease, entries, cancellationToken);
        if (appended is not { BatchId: var batchId, Fresh: var fresh })
        {
            return null;
        }

        // Only frames journaled just now are applied: a duplicate was applied (or is replayed) already.
        var toApply = parsed.Where(p => fresh.Contains(p.DedupeKey)).Select(p => p with { BatchId = batchId }).ToList();
        if (toApply.Count > 0)
        {
            await ingest.EnqueueAsync(toApply, ApplyWait);
        }
        else if (fresh.Count > 0)
        {
            // New frames, none readable: nothing to apply, ever.
            await journal.MarkAppliedAsync([batchId], cancellationToken);
        }

        return new EventBatchResponse([.. items.Select(i => i.Seq!.Value)], entries.Count - fresh.Count, parseErrors);
    }

    // The bridge posts a JSON frame as JSON (design.md §6), already parsed with the request: read it from there rather
    // than parse its text a second time. Text frames (the heartbeat reply, anything that is not JSON) go as text.
    private static PbxFrameParseResult Parse(JsonElement item, string frame, string source, PbxDateFormat? dateFormat) => item.ValueKind switch
    {
        JsonValueKind.Undefined => new PbxFrameParseResult(null, "the item has no frame", null),
        JsonValueKind.String => PbxFrameParser.Parse(frame, source, dateFormat),
        _ => PbxFrameParser.Parse(item, source, dateFormat),
    };
}
