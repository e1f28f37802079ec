using System.Diagnostics.Metrics;
using System.Text.Json;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>Journal first (durable, deduplicated, one statement per batch), then apply.</summary>
internal sealed class PbxEventIngestor(EventJournal journal, PbxEventDispatcher dispatcher, PbxDateFormatLookup dateFormats, IMeterFactory meters, TimeProvider time, ILogger<PbxEventIngestor> logger)
{
    private readonly Counter<long> _frames = meters.Create("Telephony.Api").CreateCounter<long>("telephony.pbx.frames");
    private readonly Counter<long> _parseErrors = meters.Create("Telephony.Api").CreateCounter<long>("telephony.pbx.frame_parse_errors");

    public async Task<EventBatchResponse> IngestAsync(string tenantId, string pbxId, string bridgeId, IReadOnlyList<EventBatchItem> items, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>(items.Count);
        var parsed = new List<ParsedFrame>(items.Count);
        var parseErrors = 0;
        var dateFormat = await dateFormats.FindAsync(tenantId, pbxId, cancellationToken);
        foreach (var item in items)
        {
            var seq = item.Seq!.Value;
            var receivedAt = item.ReceivedAt ?? time.GetUtcNow();
            var frame = item.Frame.ValueKind == JsonValueKind.String ? item.Frame.GetString()! : item.Frame.GetRawText();
            var source = item.Source ?? "websocket";
            var result = item.Frame.ValueKind == JsonValueKind.Undefined
                ? new PbxFrameParseResult(null, "the item has no frame", null)
                : PbxFrameParser.Parse(frame, source, dateFormat);
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
        var fresh = await journal.AppendAsync(tenantId, pbxId, entries, cancellationToken);

        // Only frames journaled just now are applied: a duplicate was applied (or is replayed) already.
        var toApply = parsed.Where(p => fresh.Contains(p.DedupeKey)).ToList();
        var applied = await dispatcher.DispatchAsync(tenantId, pbxId, toApply);
        await journal.MarkAppliedAsync(tenantId, pbxId, applied, CancellationToken.None);
        return new EventBatchResponse([.. items.Select(i => i.Seq!.Value)], entries.Count - fresh.Count, parseErrors);
    }
}
