namespace Telephony.PbxBridge;

/// <summary>The link state at one moment; <paramref name="ConnectedSince"/> is when the last session subscribed.</summary>
internal sealed record PbxLinkSnapshot(bool Connected, string? Reason, DateTimeOffset? ConnectedSince);
