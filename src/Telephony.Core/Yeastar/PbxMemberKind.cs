namespace Telephony.Core.Yeastar;

/// <summary>The wrapper key of a call member: <c>extension</c>/<c>ext</c>, <c>inbound</c> or <c>outbound</c> (api.md A8.1).</summary>
public enum PbxMemberKind
{
    Extension,
    Inbound,
    Outbound,
}
