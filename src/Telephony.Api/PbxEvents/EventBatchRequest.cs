using System.Text.Json;

namespace Telephony.Api.PbxEvents;

/// <summary>design.md §6: what the bridge posts. <see cref="EventBatchItem.Frame"/> is the PBX frame as received.</summary>
internal sealed class EventBatchRequest
{
    public string? BridgeId { get; init; }

    public List<EventBatchItem>? Events { get; init; }
}

internal sealed class EventBatchItem
{
    public long? Seq { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    public string? Source { get; init; }

    public JsonElement Frame { get; init; }
}
