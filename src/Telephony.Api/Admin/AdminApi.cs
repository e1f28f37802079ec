using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PhoneNumbers;
using Telephony.Api.Fleet;
using Telephony.Api.PbxEvents;
using Telephony.Api.Tenancy;
using Telephony.Api.Validation;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Admin;

/// <summary>
/// Tenants, PBX records and API keys. The bootstrap key (<c>TELEPHONY_ADMIN_KEY</c>) manages every tenant;
/// a tenant's admin key manages its own tenant only, and sees any other tenant as not found.
/// </summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin)
            .AddEndpointFilter<DataAnnotationsValidationFilter>();
        group.MapPost("/tenants", CreateTenantAsync).WithName("createTenant").WithSummary("Create a tenant (bootstrap admin key only)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/tenants/{tenantId}", GetTenantAsync).WithName("getTenant").WithSummary("Get a tenant")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/tenants/{tenantId}/pbxes/{pbxId}", PutPbxAsync).WithName("putPbx").WithSummary("Create or replace a PBX of a tenant")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/tenants/{tenantId}/pbxes", ListPbxesAsync).WithName("listTenantPbxes").WithSummary("List a tenant's PBXs")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/tenants/{tenantId}/keys", CreateKeyAsync).WithName("createApiKey").WithSummary("Create an API key of a tenant")
            .WithDescription("The clear key is in this response and never again.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/tenants/{tenantId}/keys", ListKeysAsync).WithName("listApiKeys").WithSummary("List a tenant's API keys (without the keys)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/tenants/{tenantId}/keys/{keyId:guid}", RevokeKeyAsync).WithName("revokeApiKey").WithSummary("Revoke an API key of a tenant")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/fleet-keys", CreateFleetKeyAsync).WithName("createFleetKey").WithSummary("Create a fleet key (bootstrap admin key only)")
            .WithDescription("Creates a fleet key (bootstrap admin key only); the clear key is in this response and never again.").ProducesValidationProblem();
        group.MapGet("/fleet-keys", ListFleetKeysAsync).WithName("listFleetKeys").WithSummary("List the fleet keys (bootstrap admin key only)");
        group.MapDelete("/fleet-keys/{keyId:guid}", RevokeFleetKeyAsync).WithName("revokeFleetKey").WithSummary("Revoke a fleet key (bootstrap admin key only)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<ApiKeyDto>, ProblemHttpResult>> CreateFleetKeyAsync(CreateFleetKeyRequest request, HttpContext http, ApiKeyRepository keys, CancellationToken cancellationToken)
    {
        if (!http.User.IsPlatformAdmin())
        {
            return OnlyBootstrapManagesFleetKeys();
        }

        var clear = ApiKeyRepository.NewKey();
        var id = await keys.AddFleetAsync(request.Name!.Trim(), clear, cancellationToken);
        var created = (await keys.ListFleetAsync(cancellationToken)).Single(k => k.Id == id);
        return TypedResults.Created($"/api/admin/fleet-keys/{id}", ApiKeyDto.From(created) with { Key = clear });
    }

    private static async Task<Results<Ok<ApiKeyDto[]>, ProblemHttpResult>> ListFleetKeysAsync(HttpContext http, ApiKeyRepository keys, CancellationToken cancellationToken) =>
        http.User.IsPlatformAdmin()
            ? TypedResults.Ok((await keys.ListFleetAsync(cancellationToken)).Select(ApiKeyDto.From).ToArray())
            : OnlyBootstrapManagesFleetKeys();

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeFleetKeyAsync(Guid keyId, HttpContext http, ApiKeyLookup keys, CancellationToken cancellationToken)
    {
        if (!http.User.IsPlatformAdmin())
        {
            return OnlyBootstrapManagesFleetKeys();
        }

        return await keys.RevokeFleetAsync(keyId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: $"Fleet key {keyId} was not found.", statusCode: StatusCodes.Status404NotFound);
    }

    private static ProblemHttpResult OnlyBootstrapManagesFleetKeys() =>
        TypedResults.Problem(title: "Only the bootstrap admin key manages fleet keys.", statusCode: StatusCodes.Status403Forbidden);

    private static async Task<Results<Created<TenantDto>, ProblemHttpResult>> CreateTenantAsync(CreateTenantRequest request, HttpContext http, TenantRepository tenants, CancellationToken cancellationToken)
    {
        if (!http.User.IsPlatformAdmin())
        {
            return TypedResults.Problem(title: "Only the bootstrap admin key creates tenants.", statusCode: StatusCodes.Status403Forbidden);
        }

        var tenant = new TenantRecord { Id = request.Id!, Name = request.Name!.Trim(), SlaSeconds = request.SlaSeconds, ShortAbandonSeconds = request.ShortAbandonSeconds };
        return await tenants.CreateTenantAsync(tenant, cancellationToken)
            ? TypedResults.Created($"/api/admin/tenants/{tenant.Id}", TenantDto.From(tenant))
            : TypedResults.Problem(title: $"Tenant {tenant.Id} already exists.", statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<TenantDto>, ProblemHttpResult>> GetTenantAsync(string tenantId, HttpContext http, TenantRepository tenants, CancellationToken cancellationToken) =>
        await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is { } tenant
            ? TypedResults.Ok(TenantDto.From(tenant))
            : TenantNotFound(tenantId);

    private static async Task<Results<Ok<PbxDto>, ValidationProblem, ProblemHttpResult>> PutPbxAsync(
        string tenantId, string pbxId, PutPbxRequest request, HttpContext http, TenantRepository tenants, PbxSettingsLookup pbxSettings, PbxSecrets secrets, CancellationToken cancellationToken)
    {
        if (await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is null)
        {
            return TenantNotFound(tenantId);
        }

        var errors = new Dictionary<string, string[]>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(pbxId, "^[a-z0-9][a-z0-9-]{0,62}$"))
        {
            errors["pbxId"] = ["pbxId must be 1-63 lower-case letters, digits or dashes."];
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone!, out _) || !TimeZoneInfo.TryConvertIanaIdToWindowsId(request.TimeZone!, out _))
        {
            errors["timeZone"] = [$"'{request.TimeZone}' is not an IANA time zone such as Europe/Moscow."];
        }

        if (!PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(request.DefaultRegion!))
        {
            errors["defaultRegion"] = [$"'{request.DefaultRegion}' is not a region with a telephone numbering plan."];
        }

        PbxDateFormat? dateFormat = null;
        if (request.DateFormat is not null && !PbxDateFormats.TryParse(request.DateFormat, out dateFormat))
        {
            errors["dateFormat"] = [$"'{request.DateFormat}' is not a PBX date format: use {PbxDateFormats.Allowed}, as the PBX's date and time settings show it."];
        }

        var stored = await tenants.FindPbxAsync(tenantId, pbxId, cancellationToken);
        var connection = PbxConnectionInput.Check(request, stored?.HasClientSecret == true, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!string.IsNullOrEmpty(request.ClientSecret))
        {
            // The server's configuration, not the request, is at fault, and the same request works once a key is set: 503.
            if (!secrets.CanSeal)
            {
                return TypedResults.Problem(
                    title: "This server has no secrets key, so it cannot store a client secret.",
                    detail: "Set TELEPHONY_SECRETS_KEY (base64 of 32 random bytes) on the API and try again; nothing was stored.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            connection = new PbxConnection
            {
                Host = connection.Host,
                Port = connection.Port,
                ApiVersion = connection.ApiVersion,
                ClientId = connection.ClientId,
                TlsFingerprint = connection.TlsFingerprint,
                SealedClientSecret = secrets.Seal(tenantId, pbxId, request.ClientSecret),
            };
        }

        await tenants.SavePbxAsync(tenantId, new PbxRecord
        {
            Id = pbxId,
            Name = request.Name!.Trim(),
            Kind = request.Kind!,
            TimeZone = request.TimeZone!,
            DefaultRegion = request.DefaultRegion!,
            DateFormat = dateFormat is { } format ? PbxDateFormats.ToText(format) : null,
        }, connection, cancellationToken);
        await pbxSettings.ForgetAsync(tenantId, pbxId, cancellationToken);
        return TypedResults.Ok(PbxDto.From((await tenants.FindPbxAsync(tenantId, pbxId, cancellationToken))!));
    }

    private static async Task<Results<Ok<PbxDto[]>, ProblemHttpResult>> ListPbxesAsync(string tenantId, HttpContext http, TenantRepository tenants, CancellationToken cancellationToken) =>
        await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is null
            ? TenantNotFound(tenantId)
            : TypedResults.Ok((await tenants.ListPbxesAsync(tenantId, cancellationToken)).Select(PbxDto.From).ToArray());

    private static async Task<Results<Created<ApiKeyDto>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        string tenantId, CreateKeyRequest request, HttpContext http, TenantRepository tenants, ApiKeyRepository keys, CancellationToken cancellationToken)
    {
        if (await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is null)
        {
            return TenantNotFound(tenantId);
        }

        var role = StorageNames.Parse<ApiKeyRole>(request.Role)!.Value;
        if (role == ApiKeyRole.Bridge && (request.PbxId is null || await tenants.FindPbxAsync(tenantId, request.PbxId, cancellationToken) is null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["pbxId"] = ["A bridge key needs the id of one of this tenant's PBXs."] });
        }

        if (role != ApiKeyRole.Bridge && request.PbxId is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["pbxId"] = ["Only a bridge key is bound to a PBX."] });
        }

        var clear = ApiKeyRepository.NewKey();
        var id = await keys.AddAsync(tenantId, role, request.PbxId, request.Name!.Trim(), clear, cancellationToken);
        var created = (await keys.ListAsync(tenantId, cancellationToken)).Single(k => k.Id == id);
        return TypedResults.Created($"/api/admin/tenants/{tenantId}/keys/{id}", ApiKeyDto.From(created) with { Key = clear });
    }

    private static async Task<Results<Ok<ApiKeyDto[]>, ProblemHttpResult>> ListKeysAsync(string tenantId, HttpContext http, TenantRepository tenants, ApiKeyRepository keys, CancellationToken cancellationToken) =>
        await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is null
            ? TenantNotFound(tenantId)
            : TypedResults.Ok((await keys.ListAsync(tenantId, cancellationToken)).Select(ApiKeyDto.From).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string tenantId, Guid keyId, HttpContext http, TenantRepository tenants, ApiKeyLookup keys, CancellationToken cancellationToken)
    {
        if (await FindManagedTenantAsync(tenantId, http.User, tenants, cancellationToken) is null)
        {
            return TenantNotFound(tenantId);
        }

        return await keys.RevokeAsync(tenantId, keyId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: $"Key {keyId} was not found.", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<TenantRecord?> FindManagedTenantAsync(string tenantId, ClaimsPrincipal user, TenantRepository tenants, CancellationToken cancellationToken) =>
        user.IsPlatformAdmin() || string.Equals(user.FindFirstValue(TelephonyClaims.Tenant), tenantId, StringComparison.Ordinal)
            ? await tenants.FindTenantAsync(tenantId, cancellationToken)
            : null;

    private static ProblemHttpResult TenantNotFound(string tenantId) =>
        TypedResults.Problem(title: $"Tenant {tenantId} was not found.", statusCode: StatusCodes.Status404NotFound);
}
