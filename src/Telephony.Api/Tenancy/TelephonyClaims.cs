using System.Security.Claims;

namespace Telephony.Api.Tenancy;

/// <summary>Claims an API key turns into; the tenant always comes from the key, never from the request.</summary>
internal static class TelephonyClaims
{
    public const string Tenant = "telephony:tenant";
    public const string Pbx = "telephony:pbx";

    /// <summary>The bootstrap admin key: manages tenants, belongs to none.</summary>
    public const string Platform = "telephony:platform";

    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Tenant) ?? throw new InvalidOperationException("An authenticated principal always carries a tenant.");

    public static string? PbxId(this ClaimsPrincipal user) => user.FindFirstValue(Pbx);

    public static bool IsPlatformAdmin(this ClaimsPrincipal user) => user.HasClaim(Platform, "true");
}
