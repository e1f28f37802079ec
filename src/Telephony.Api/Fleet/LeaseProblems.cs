using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Core.Fleet;

namespace Telephony.Api.Fleet;

/// <summary>The 409s of the lease: who holds a PBX, at which epoch, until when.</summary>
internal static class LeaseProblems
{
    public static ProblemHttpResult HeldByOther(string tenantId, string pbxId, PbxLease? current) =>
        TypedResults.Problem(
            title: $"PBX {pbxId} of tenant {tenantId} is leased by another bridge.",
            detail: Describe(current) + " Try again after it expires.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: Extensions(current));

    public static ProblemHttpResult NotHeld(string tenantId, string pbxId, LeaseClaim claim, PbxLease? current) =>
        TypedResults.Problem(
            title: $"Bridge {claim.Holder} does not hold the lease of PBX {pbxId} of tenant {tenantId} at epoch {claim.Epoch}.",
            detail: Describe(current) + " Acquire the lease again before posting for this PBX.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: Extensions(current));

    private static string Describe(PbxLease? lease) => lease switch
    {
        null => "It has never been leased.",
        { Holder: null } => $"It is free (released at epoch {lease.Epoch}).",
        _ => $"{lease.Holder} holds it at epoch {lease.Epoch} until {LeaseDto.Utc(lease.ExpiresAt):O}.",
    };

    private static Dictionary<string, object?> Extensions(PbxLease? lease) => new()
    {
        ["holder"] = lease?.Holder,
        ["epoch"] = lease?.Epoch,
        ["expiresAt"] = lease is null ? null : LeaseDto.Utc(lease.ExpiresAt),
    };
}
