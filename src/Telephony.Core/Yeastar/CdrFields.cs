namespace Telephony.Core.Yeastar;

/// <summary>A CDR's values as read from any of its wire shapes, before the status and type words are checked.</summary>
internal sealed record CdrFields(
    string CallId,
    PbxTime TimeStart,
    string From,
    string To,
    int CallSeconds,
    int TalkSeconds,
    string Status,
    string Type)
{
    public string? SourceTrunk { get; init; }

    public string? DestinationTrunk { get; init; }

    public string? Recording { get; init; }

    public string? DidNumber { get; init; }

    public string? Uid { get; init; }
}
