using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Telephony.Api.LiveEvents;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Tenancy;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>, or <c>access_token</c> in the query string for the hub
/// (browsers cannot set headers on a WebSocket upgrade).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRepository keys,
    ApiKeyLookup keyLookup,
    HubTokens hubTokens,
    IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        if (key.StartsWith(HubTokens.Prefix, StringComparison.Ordinal))
        {
            // Hub tokens are for the hub only: they never open the REST API.
            return Request.Path.StartsWithSegments("/hubs") && hubTokens.Read(key) is { } hubClaims
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(hubClaims, SchemeName)), SchemeName))
                : AuthenticateResult.Fail("Invalid or expired hub token.");
        }

        if (IsBootstrapKey(key))
        {
            var platform = new ClaimsIdentity([new Claim(ClaimTypes.Role, "admin"), new Claim(TelephonyClaims.Platform, "true")], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(platform), SchemeName));
        }

        var identity = await keyLookup.FindAsync(key, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, identity.KeyId.ToString()),
            new(ClaimTypes.Role, StorageNames.Of(identity.Role)),
        };
        if (identity.TenantId is not null)
        {
            // A fleet key has no tenant claim, so every tenant-scoped policy (agent, admin) refuses it.
            claims.Add(new Claim(TelephonyClaims.Tenant, identity.TenantId));
        }

        if (identity.PbxId is not null)
        {
            claims.Add(new Claim(TelephonyClaims.Pbx, identity.PbxId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    // Compared as hashes in constant time, so response timing says nothing about the bootstrap key.
    private bool IsBootstrapKey(string key) =>
        configuration["TELEPHONY_ADMIN_KEY"] is { Length: >= 16 } bootstrap
        && CryptographicOperations.FixedTimeEquals(keys.Hash(key), keys.Hash(bootstrap));

    private string? ReadKey()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return Request.Path.StartsWithSegments("/hubs") ? Request.Query["access_token"].ToString() : null;
    }
}
