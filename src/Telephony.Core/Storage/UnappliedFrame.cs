namespace Telephony.Core.Storage;

public sealed class UnappliedFrame
{
    public string TenantId { get; init; } = "";
    public string PbxId { get; init; } = "";
    public long BatchId { get; init; }
    public string DedupeKey { get; init; } = "";
    public string Frame { get; init; } = "";
    public string Source { get; init; } = "websocket";
    public DateTime ReceivedAt { get; init; }
}
