namespace Telephony.Core.Yeastar;

/// <summary>Which frame produced a <see cref="CallStatusChanged"/>: a status snapshot, a transfer or a forward.</summary>
public enum CallChangeKind
{
    Status,
    Transfer,
    Forward,
}
