namespace Telephony.Api.PbxEvents;

internal sealed class LinkStatusRequest
{
    public string? BridgeId { get; init; }

    public bool Connected { get; init; }

    public string? Reason { get; init; }
}
