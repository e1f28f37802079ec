namespace Telephony.PbxBridge.SSeries;

/// <summary>Why an S-Series event push was answered 403: <see cref="Reason"/> tags the counter, the rest is for people.</summary>
internal sealed record SSeriesPushRefusal(string Reason, string Description, string Detail)
{
    public static readonly SSeriesPushRefusal SourceNotAllowed = new(
        "source_not_allowed",
        "source not allowed",
        "Only the PBX at YEASTAR_HOST and the addresses in YEASTAR_PUSH_ALLOWED_IPS may push events to this bridge.");

    public static readonly SSeriesPushRefusal NoPushToken = new(
        "no_push_token",
        "no push token",
        "Events must be pushed to the URL the bridge gave the PBX at login; this one lacks its push token.");

    public static readonly SSeriesPushRefusal WrongPushToken = new(
        "wrong_push_token",
        "wrong push token",
        "Events must be pushed to the URL the bridge gave the PBX at login; this push token is not it (the bridge makes a new one each time it starts).");
}
