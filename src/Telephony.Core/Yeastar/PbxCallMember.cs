namespace Telephony.Core.Yeastar;

/// <summary>One leg of a call as the PBX reports it in <c>members[]</c> (api.md A8.1).</summary>
/// <param name="Kind">Extension, inbound trunk leg or outbound trunk leg.</param>
/// <param name="Number">The extension number; null for trunk legs.</param>
/// <param name="From">Trunk legs: the calling number.</param>
/// <param name="To">Trunk legs: the called number.</param>
/// <param name="TrunkName">Trunk legs: the trunk.</param>
/// <param name="ChannelId">Asterisk channel name, e.g. <c>PJSIP/2002-000000b6</c>.</param>
/// <param name="Status">The member status.</param>
/// <param name="CallPath">IVR/queue/ring group number the call passed through; null when blank.</param>
[GenerateSerializer, Alias("Telephony.Yeastar.PbxCallMember")]
public sealed record PbxCallMember(
    [property: Id(0)] PbxMemberKind Kind,
    [property: Id(1)] string? Number,
    [property: Id(2)] string? From,
    [property: Id(3)] string? To,
    [property: Id(4)] string? TrunkName,
    [property: Id(5)] string ChannelId,
    [property: Id(6)] PbxMemberStatus Status,
    [property: Id(7)] string? CallPath);
