namespace Telephony.PbxBridge.SSeries;

/// <summary>What a person should do about an S-Series login failure (api.md B2, B7); shown in logs and the link status.</summary>
internal static class SSeriesHints
{
    public static string ForLogin(int errno) => errno switch
    {
        SSeriesErrorCodes.LoginLocked =>
            "the PBX locked this bridge's IP for 10 minutes after 5 failed logins (errno 20002): fix YEASTAR_USERNAME/YEASTAR_PASSWORD "
            + "(Settings > PBX > General > API on the PBX), then delete the blocked API IP on the PBX web or wait 10 minutes",
        SSeriesErrorCodes.LoginInvalid =>
            "the PBX rejected the API username or password (errno 20003): check YEASTAR_USERNAME and YEASTAR_PASSWORD against "
            + "Settings > PBX > General > API on the PBX (5 failed logins lock this IP for 10 minutes)",
        _ => $"the PBX refused the login (errno {errno}): check that the API is enabled under Settings > PBX > General > API",
    };
}
