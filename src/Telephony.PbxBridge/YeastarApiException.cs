using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge;

/// <summary>
/// An Open API answer with errcode ≠ 0 (A3: the PBX says HTTP 200 either way). The message carries the
/// operation, errcode and errmsg only — never the request, which may hold the Client Secret or a token.
/// </summary>
internal sealed class YeastarApiException : Exception
{
    public YeastarApiException()
    {
        Operation = "";
        ErrorMessage = "";
    }

    public YeastarApiException(string message)
        : base(message)
    {
        Operation = "";
        ErrorMessage = "";
    }

    public YeastarApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "";
        ErrorMessage = "";
    }

    public YeastarApiException(string operation, int errorCode, string errorMessage)
        : base($"Yeastar {operation} failed with errcode {errorCode} ({errorMessage}).")
    {
        Operation = operation;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    public string Operation { get; }

    public int ErrorCode { get; }

    public string ErrorMessage { get; }

    /// <summary>
    /// Failures that retrying soon cannot fix and that count towards the PBX's failed-login block (A4):
    /// -1 on get_token (wrong Client ID/Secret), 70004 IP blocked, 70087 IP forbidden, 10005 no permission,
    /// 70123 API disabled.
    /// </summary>
    public bool NeedsOperatorAction =>
        (ErrorCode == YeastarErrorCodes.Failure && Operation == PSeriesClient.GetTokenOperation)
        || ErrorCode is YeastarErrorCodes.IpBlocked or YeastarErrorCodes.IpForbidden
            or YeastarErrorCodes.AccessDenied or YeastarErrorCodes.ApiUnavailable;

    /// <summary>What a person should do about it; shown in logs and in the link status the API displays.</summary>
    public string OperatorHint => ErrorCode switch
    {
        YeastarErrorCodes.Failure when Operation == PSeriesClient.GetTokenOperation =>
            "the PBX rejected the Client ID/Secret: check YEASTAR_USERNAME and YEASTAR_PASSWORD against Integrations > API on the PBX (5 failed logins block this IP)",
        YeastarErrorCodes.IpBlocked =>
            "the PBX blocked this bridge's IP after failed logins: fix the credentials, then remove the IP under Security > Security Rules > Blocked IPs on the PBX",
        YeastarErrorCodes.IpForbidden =>
            "the PBX refuses API calls from this IP: add the bridge's IP to the allow-list under Integrations > API on the PBX",
        YeastarErrorCodes.AccessDenied =>
            "the API application lacks permission: enable the needed monitors under Integrations > API on the PBX",
        YeastarErrorCodes.ApiUnavailable =>
            "the Open API is disabled or unavailable on the PBX: enable it under Integrations > API",
        _ => $"errcode {ErrorCode} ({ErrorMessage})",
    };
}
