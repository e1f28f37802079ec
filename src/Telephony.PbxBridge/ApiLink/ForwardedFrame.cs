namespace Telephony.PbxBridge.ApiLink;

/// <summary>One PBX frame waiting for the API to accept it (design.md §6); <see cref="Source"/> is one of the <c>…Source</c> constants of <see cref="ApiForwarder"/>.</summary>
internal sealed record ForwardedFrame(long Seq, DateTimeOffset ReceivedAt, string Source, string Frame, bool IsJson);
