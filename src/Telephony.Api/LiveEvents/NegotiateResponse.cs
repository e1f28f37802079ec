namespace Telephony.Api.LiveEvents;

/// <summary>Where the hub is and a short-lived token for it (pass as <c>accessTokenFactory</c>).</summary>
internal sealed record NegotiateResponse(string Url, string AccessToken, DateTimeOffset ExpiresAt);
