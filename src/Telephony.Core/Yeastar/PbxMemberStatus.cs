namespace Telephony.Core.Yeastar;

/// <summary>A call member's <c>member_status</c>/<c>memberstatus</c> (api.md A8.1); Unknown when the frame carries none (S-Series Tranfer, Forward, CallFailed).</summary>
public enum PbxMemberStatus
{
    Unknown,
    Alert,
    Ring,
    EarlyMedia,
    Answered,
    Answer,
    Hold,
    Bye,
}
