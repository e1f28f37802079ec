namespace Telephony.Core.Yeastar;

/// <summary>CDR <c>status</c>: ANSWERED, NO ANSWER, BUSY, FAILED (CDR queries only), VOICEMAIL.</summary>
public enum CdrDisposition
{
    Answered,
    NoAnswer,
    Busy,
    Failed,
    Voicemail,
}
