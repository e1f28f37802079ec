namespace Telephony.PbxSimulator.Engine;

// The single wrapper key of a member object (A8.1).
internal enum MemberKind
{
    Extension,
    Inbound,
    Outbound,
}
