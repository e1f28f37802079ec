namespace Telephony.Core.Yeastar;

/// <summary>An extension's call status (P-Series 30008 Ringing/Busy/Idle).</summary>
public enum ExtensionCallStatus
{
    Idle,
    Ringing,
    Busy,
}
