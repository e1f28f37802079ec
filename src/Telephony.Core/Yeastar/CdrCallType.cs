namespace Telephony.Core.Yeastar;

/// <summary>CDR <c>type</c>: Inbound, Outbound or Internal (compared case-insensitively, api.md A8.2).</summary>
public enum CdrCallType
{
    Inbound,
    Outbound,
    Internal,
}
