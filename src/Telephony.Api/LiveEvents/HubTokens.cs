using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;

namespace Telephony.Api.LiveEvents;

/// <summary>
/// Short-lived hub tokens from <c>POST /api/negotiate</c>, so a browser need not put its API key in a
/// WebSocket URL. A token carries the key's identity (tenant, role) and expires.
/// </summary>
internal sealed class HubTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Prefix = "ht_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Telephony.HubToken.v1").ToTimeLimitedDataProtector();

    public (string Token, DateTimeOffset ExpiresAt) Issue(ClaimsPrincipal user)
    {
        var expiresAt = time.GetUtcNow() + Lifetime;
        var payload = string.Join('\n', user.Claims.Select(c => $"{c.Type}\t{c.Value}"));
        return (Prefix + _protector.Protect(payload, expiresAt), expiresAt);
    }

    /// <summary>The claims of a valid, unexpired token; null otherwise.</summary>
    public IReadOnlyList<Claim>? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var payload = _protector.Unprotect(token[Prefix.Length..], out var expiresAt);
            if (expiresAt < time.GetUtcNow())
            {
                return null;
            }

            return [.. payload.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t', 2)).Select(p => new Claim(p[0], p[1]))];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
