using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Telephony.Api.Tenancy;

namespace Telephony.Api.OpenApi;

/// <summary>
/// What the middleware, not the handler, answers: every operation behind an authorization policy needs the API key
/// (401 without a valid one, 403 for a key of another role), and every key is rate limited (429 with Retry-After).
/// </summary>
internal sealed class ApiKeyOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var keyed = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var responses = operation.Responses ??= [];
        var problem = await ProblemSchemaAsync(context, cancellationToken);

        if (keyed)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            });
            responses.TryAdd("401", Problem("No API key, or one that is unknown or revoked.", problem));
            responses.TryAdd("403", Problem("The key's role may not call this operation, or the resource belongs to another PBX or tenant.", problem));
        }

        var tooMany = Problem("Too many requests for this key this minute; retry after Retry-After seconds.", problem);
        tooMany.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader { Description = "Seconds until the key's window has room again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        };
        responses.TryAdd("429", tooMany);
    }

    private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
    };

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string id = nameof(ProblemDetails);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        }

        return new OpenApiSchemaReference(id, document);
    }
}
