using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Tenancy;
using Telephony.Core.Storage;

namespace Telephony.Api.PhoneExtensions;

internal static class ExtensionsApi
{
    public static RouteGroupBuilder MapExtensionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/extensions").WithTags("Extensions").RequireAuthorization(AuthPolicies.Agent);
        group.MapGet("/", ListAsync).WithName("listExtensions").WithSummary("List the extensions and their status");
        group.MapGet("/{number}/status", GetStatusAsync).WithName("getExtensionStatus").WithSummary("Get one extension's status")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<ExtensionStatusDto[]>> ListAsync(HttpContext http, ExtensionRepository extensions, CancellationToken cancellationToken) =>
        TypedResults.Ok((await extensions.ListAsync(http.User.TenantId(), cancellationToken)).Select(ExtensionStatusDto.From).ToArray());

    private static async Task<Results<Ok<ExtensionStatusDto>, ProblemHttpResult>> GetStatusAsync(string number, HttpContext http, ExtensionRepository extensions, CancellationToken cancellationToken)
    {
        var extension = await extensions.FindAsync(http.User.TenantId(), number, cancellationToken);
        return extension is null
            ? TypedResults.Problem(title: $"Extension {number} is not known for this tenant.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ExtensionStatusDto.From(extension));
    }
}
