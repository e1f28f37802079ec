namespace Telephony.PbxSimulator.SSeries;

// The S-Series errno values the simulator answers with (B7).
internal static class SSeriesErrno
{
    public const int UnsupportedRequest = 10003;
    public const int ParameterBlank = 10004;
    public const int CallIdNotFound = 10005;
    public const int ExtensionNotFound = 10006;
    public const int CallNotFound = 10007;
    public const int OnlyJson = 20000;
    public const int OnlyPost = 20001;
    public const int LoginLocked = 20002;
    public const int LoginInvalid = 20003;
    public const int NoSuchToken = 20004;
    public const int TokenBlank = 20005;
    public const int TokenTimeout = 20006;
    public const int ApiServerFailed = 20010;
    public const int InvalidRecordingRandom = 20012;
    public const int RecordingNotFound = 20014;
    public const int AllowedIpError = 20015;
    public const int CdrTimeFormat = 20019;
    public const int InvalidCdrRandom = 20020;
    public const int CdrNotFound = 20021;
}
