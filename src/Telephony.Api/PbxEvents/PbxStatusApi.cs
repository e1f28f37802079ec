using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Admin;
using Telephony.Api.Tenancy;
using Telephony.Core.Tenancy;

namespace Telephony.Api.PbxEvents;

/// <summary>The tenant's PBXs and their link status, for a board that opens between two <c>yeastar:*</c> pushes.</summary>
internal static class PbxStatusApi
{
    public static RouteGroupBuilder MapPbxStatusApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pbx").WithTags("PBX").RequireAuthorization(AuthPolicies.Agent);
        group.MapGet("/", async Task<Ok<PbxDto[]>> (HttpContext http, TenantRepository tenants, CancellationToken cancellationToken) =>
            TypedResults.Ok((await tenants.ListPbxesAsync(http.User.TenantId(), cancellationToken)).Select(PbxDto.From).ToArray()))
            .WithName("listPbxes").WithSummary("List the tenant's PBXs and their link status");
        return group;
    }
}
