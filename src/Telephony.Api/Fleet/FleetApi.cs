using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Tenancy;
using Telephony.Api.Validation;
using Telephony.Core.Fleet;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Fleet;

/// <summary>
/// What fleet bridges read and lease (issue 11 §3). Fleet keys only: this is the one place a PBX client secret
/// leaves the API.
/// </summary>
internal static class FleetApi
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(30);

    // As long as a lease: a bridge that stopped announcing itself is gone from the fair share when its leases end.
    private static readonly TimeSpan PresenceWindow = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapFleetApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/fleet").WithTags("Fleet").RequireAuthorization(AuthPolicies.Fleet)
            .AddEndpointFilter<DataAnnotationsValidationFilter>();
        group.MapGet("/pbxes", ListPbxesAsync).WithName("listFleetPbxes").WithSummary("List every PBX with a connection, across tenants")
            .WithDescription("Every PBX with a connection (a host), across tenants, with its clear client secret and its lease.");
        group.MapPut("/bridges/{bridgeId}", AnnounceBridgeAsync).WithName("announceFleetBridge").WithSummary("Announce a fleet bridge as alive")
            .WithDescription("Announces the calling bridge as alive (every few seconds); answers every bridge alive now, so each can take its fair share of the PBXs.");
        group.MapPost("/tenants/{tenantId}/pbxes/{pbxId}/lease", AcquireLeaseAsync).WithName("acquirePbxLease").WithSummary("Acquire or renew a PBX's lease")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithDescription("Acquires the PBX's lease (free or expired: a new epoch) or renews it (same bridgeId and epoch); 409 names the holder.");
        group.MapDelete("/tenants/{tenantId}/pbxes/{pbxId}/lease", ReleaseLeaseAsync).WithName("releasePbxLease").WithSummary("Release a PBX's lease")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithDescription("Releases the lease held by ?bridgeId= at ?epoch=; the next holder gets a higher epoch.");
        return group;
    }

    private static async Task<Ok<FleetPbxDto[]>> ListPbxesAsync(FleetRepository fleet, PbxSecrets secrets, CancellationToken cancellationToken)
    {
        var rows = await fleet.ListPbxesAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(row => ToDto(row, secrets)).ToArray());
    }

    private static async Task<Results<Ok<FleetBridgesDto>, ValidationProblem>> AnnounceBridgeAsync(
        string bridgeId, FleetBridgeRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bridgeId) || bridgeId.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["bridgeId"] = ["A bridge id is 1 to 200 characters, the same as in its leases."] });
        }

        var alive = await registry.AnnounceAsync(bridgeId, PresenceWindow, cancellationToken);
        return TypedResults.Ok(new FleetBridgesDto([.. alive], (int)PresenceWindow.TotalSeconds));
    }

    private static FleetPbxDto ToDto(FleetPbxRow row, PbxSecrets secrets)
    {
        var secret = row.ClientSecret is null ? null : secrets.TryOpen(row.TenantId, row.PbxId, row.ClientSecret);
        var problem = row.ClientSecret is not null && secret is null
            ? "The stored client secret cannot be read with this server's TELEPHONY_SECRETS_KEY or TELEPHONY_SECRETS_KEY_PREVIOUS: set the key it was stored with as the previous key, or store the secret again."
            : null;
        var lease = row.LeaseEpoch is { } epoch
            ? new LeaseDto(row.TenantId, row.PbxId, row.LeaseHolder, epoch, LeaseDto.Utc(row.LeaseExpiresAt!.Value))
            : null;
        return new FleetPbxDto(row.TenantId, row.PbxId, row.Kind, row.Host, row.Port, row.ApiVersion, row.ClientId, secret, row.TlsFingerprint, row.TimeZone, lease, problem);
    }

    private static async Task<Results<Ok<LeaseDto>, ValidationProblem, ProblemHttpResult>> AcquireLeaseAsync(
        string tenantId, string pbxId, LeaseRequest request, TenantRepository tenants, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        if (await FleetPbxNotFoundAsync(tenantId, pbxId, tenants, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var ttl = request.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTtl;
        var lease = await leases.AcquireAsync(tenantId, pbxId, request.BridgeId!, request.Epoch, ttl, cancellationToken);
        return lease is not null
            ? TypedResults.Ok(LeaseDto.From(lease))
            : LeaseProblems.HeldByOther(tenantId, pbxId, await leases.FindAsync(tenantId, pbxId, cancellationToken));
    }

    // DELETE carries no body (proxies and clients drop it), so the lease is named in the query.
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ReleaseLeaseAsync(
        string tenantId, string pbxId, string? bridgeId, long? epoch, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bridgeId) || epoch is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["epoch"] = ["Name the lease to release: ?bridgeId=…&epoch=… as acquired."] });
        }

        var claim = new LeaseClaim(bridgeId, epoch.Value);
        return await leases.ReleaseAsync(tenantId, pbxId, claim.Holder, claim.Epoch, cancellationToken)
            ? TypedResults.NoContent()
            : LeaseProblems.NotHeld(tenantId, pbxId, claim, await leases.FindAsync(tenantId, pbxId, cancellationToken));
    }

    // Only PBXs with a connection are leased: a PBX without one is served by its own site bridge, never by the fleet.
    private static async Task<ProblemHttpResult?> FleetPbxNotFoundAsync(string tenantId, string pbxId, TenantRepository tenants, CancellationToken cancellationToken) =>
        await tenants.FindPbxAsync(tenantId, pbxId, cancellationToken) is { Host: not null }
            ? null
            : TypedResults.Problem(
                title: $"PBX {pbxId} of tenant {tenantId} is not served by fleet bridges.",
                detail: "It does not exist, or it has no connection (host) stored through the admin API.",
                statusCode: StatusCodes.Status404NotFound);
}
