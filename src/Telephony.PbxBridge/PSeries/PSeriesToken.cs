namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// One access/refresh token pair. A class, not a record, so a stray log line or debugger display
/// never prints the token values (style rule 20).
/// </summary>
internal sealed class PSeriesToken(
    string accessToken,
    string refreshToken,
    DateTimeOffset refreshAt,
    DateTimeOffset accessExpiresAt,
    DateTimeOffset refreshExpiresAt)
{
    public string AccessToken { get; } = accessToken;

    public string RefreshToken { get; } = refreshToken;

    /// <summary>When to refresh: ~80% of the access token lifetime, before the PBX starts answering 10004.</summary>
    public DateTimeOffset RefreshAt { get; } = refreshAt;

    public DateTimeOffset AccessExpiresAt { get; } = accessExpiresAt;

    public DateTimeOffset RefreshExpiresAt { get; } = refreshExpiresAt;

    /// <summary>Set when the PBX said 10004 for this token, so the next caller refreshes it at once.</summary>
    public bool Rejected { get; set; }
}
