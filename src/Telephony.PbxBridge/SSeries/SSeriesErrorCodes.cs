namespace Telephony.PbxBridge.SSeries;

/// <summary>The S-Series errno values the bridge acts on (api.md B7).</summary>
internal static class SSeriesErrorCodes
{
    public const int CallIdNotFound = 10005;
    public const int CallNotFound = 10007;
    public const int LoginLocked = 20002;
    public const int LoginInvalid = 20003;
    public const int NoSuchToken = 20004;
    public const int TokenBlank = 20005;
    public const int TokenTimeout = 20006;
    public const int InvalidRecordingRandom = 20012;
    public const int RecordingNotFound = 20014;
    public const int InvalidCdrRandom = 20020;
    public const int CdrNotFound = 20021;

    public static bool IsTokenError(int errno) => errno is NoSuchToken or TokenBlank or TokenTimeout;
}
