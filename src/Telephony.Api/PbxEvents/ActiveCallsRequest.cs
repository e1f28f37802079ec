namespace Telephony.Api.PbxEvents;

/// <summary>Every call the PBX has live right now (the bridge's call/query after a gap).</summary>
internal sealed class ActiveCallsRequest
{
    public List<string>? CallIds { get; init; }
}
