namespace Telephony.PbxBridge;

/// <summary>The Open API errcodes the bridge acts on (api.md A3.1).</summary>
internal static class YeastarErrorCodes
{
    public const int Failure = -1;
    public const int Success = 0;
    public const int TokenExpired = 10004;
    public const int AccessDenied = 10005;
    public const int DataNotFound = 60001;
    public const int IpBlocked = 70004;
    public const int IpForbidden = 70087;
    public const int ApiUnavailable = 70123;
}
