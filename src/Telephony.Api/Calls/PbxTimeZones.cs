namespace Telephony.Api.Calls;

internal static class PbxTimeZones
{
    /// <summary>The PBX's IANA zone; an unknown id falls back to UTC rather than losing the call.</summary>
    public static TimeZoneInfo Find(string ianaId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;
}
