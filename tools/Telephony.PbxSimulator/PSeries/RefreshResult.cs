namespace Telephony.PbxSimulator.PSeries;

internal sealed record RefreshResult(TokenPair? Tokens, bool IsLimitReached)
{
    public static RefreshResult InvalidToken { get; } = new(null, false);

    public static RefreshResult LimitReached { get; } = new(null, true);
}
