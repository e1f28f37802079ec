namespace Telephony.PbxSimulator.Engine;

// Documented member_status values used by the simulator (A8.1).
internal static class MemberStatus
{
    public const string Alert = "ALERT";
    public const string Ring = "RING";
    public const string Answered = "ANSWERED";
    public const string Answer = "ANSWER";
    public const string Bye = "BYE";
}
