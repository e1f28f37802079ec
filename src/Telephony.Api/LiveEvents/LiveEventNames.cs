namespace Telephony.Api.LiveEvents;

/// <summary>
/// Client method names of the original service (design.md §5). They contain ':', which no C# method
/// name can, so pushes go through <c>SendAsync</c> with these constants instead of a typed client.
/// </summary>
internal static class LiveEventNames
{
    public const string YeastarConnected = "yeastar:connected";
    public const string YeastarDisconnected = "yeastar:disconnected";
    public const string CallNew = "call:new";
    public const string CallRinging = "call:ringing";
    public const string CallAnswered = "call:answered";
    public const string CallEnded = "call:ended";
    public const string CallUpdated = "call:updated";
    public const string ExtensionStatus = "extension:status";
}
