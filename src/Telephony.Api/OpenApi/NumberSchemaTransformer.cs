using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Telephony.Api.OpenApi;

/// <summary>
/// Documents numbers as numbers. The API's JSON (the web defaults) also reads a number written as a string, so the
/// generator says "integer or string matching a pattern"; but the API always writes numbers and clients should send
/// them, and the wider type would make every count in a generated client <c>number | string</c>.
/// </summary>
internal sealed class NumberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
