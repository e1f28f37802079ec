using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Tenancy;
using Telephony.Core.Fleet;

namespace Telephony.Api.Fleet;

/// <summary>
/// Who may use the bridge endpoints for a PBX: a bridge key bound to it (as before), or a fleet key that names the
/// PBX's lease it holds in <see cref="TenantHeader"/>, <see cref="EpochHeader"/> and <see cref="BridgeHeader"/>.
/// </summary>
internal static class BridgeAccess
{
    public const string TenantHeader = "X-Telephony-Tenant";
    public const string EpochHeader = "X-Telephony-Lease-Epoch";
    public const string BridgeHeader = "X-Telephony-Bridge-Id";

    /// <summary>
    /// The caller, or the refusal. A fleet caller's lease is only read from the headers here; the endpoint checks it,
    /// with <see cref="CheckLeaseAsync"/> or, for events, inside the journal append.
    /// </summary>
    public static (BridgeCaller? Caller, ProblemHttpResult? Refusal) Resolve(HttpContext http, string pbxId)
    {
        if (!http.User.IsInRole("fleet"))
        {
            // A bridge key is bound to one PBX of its tenant.
            return string.Equals(http.User.PbxId(), pbxId, StringComparison.Ordinal)
                ? (new BridgeCaller(http.User.TenantId(), null), null)
                : (null, TypedResults.Problem(title: "This bridge key is not bound to that PBX.", statusCode: StatusCodes.Status403Forbidden));
        }

        var tenantId = http.Request.Headers[TenantHeader].ToString();
        var bridgeId = http.Request.Headers[BridgeHeader].ToString();
        if (tenantId.Length == 0 || bridgeId.Length == 0
            || !long.TryParse(http.Request.Headers[EpochHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return (null, TypedResults.Problem(
                title: "A fleet key posts for a PBX only under the lease it holds.",
                detail: $"Send {TenantHeader} (the PBX's tenant), {BridgeHeader} (the bridge id the lease was taken with) and {EpochHeader} (its epoch, a number).",
                statusCode: StatusCodes.Status403Forbidden));
        }

        return (new BridgeCaller(tenantId, new LeaseClaim(bridgeId, epoch)), null);
    }

    /// <summary>The caller, when it may go on now (a bridge key for its PBX, or a fleet key holding the PBX's lease); the refusal otherwise.</summary>
    public static async Task<(BridgeCaller? Caller, ProblemHttpResult? Refusal)> AuthorizeAsync(HttpContext http, string pbxId, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = Resolve(http, pbxId);
        if (caller is null)
        {
            return (null, refusal);
        }

        return await CheckLeaseAsync(caller, pbxId, leases, cancellationToken) is { } notHeld ? (null, notHeld) : (caller, null);
    }

    /// <summary>Null when the caller may go on now (a bridge key, or a fleet key holding the lease); the 409 otherwise.</summary>
    public static async Task<ProblemHttpResult?> CheckLeaseAsync(BridgeCaller caller, string pbxId, PbxLeaseRepository leases, CancellationToken cancellationToken) =>
        caller.Lease is null || await leases.IsHeldAsync(caller.TenantId, pbxId, caller.Lease, cancellationToken)
            ? null
            : await NotHeldAsync(caller, pbxId, leases, cancellationToken);

    /// <summary>The 409 for a fleet caller whose lease is gone, saying who holds the PBX now.</summary>
    public static async Task<ProblemHttpResult> NotHeldAsync(BridgeCaller caller, string pbxId, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var current = await leases.FindAsync(caller.TenantId, pbxId, cancellationToken);
        return LeaseProblems.NotHeld(caller.TenantId, pbxId, caller.Lease!, current);
    }
}
