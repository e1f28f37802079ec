namespace Telephony.Api.OpenApi;

internal static class OpenApiServiceCollectionExtensions
{
    /// <summary>
    /// The document at /openapi/v1.json, complete enough for FoodFlow's frontend to generate its client from
    /// (issue 12 §7): the bearer API key, the 401/403/429 every keyed call can get, tags with descriptions, and numbers
    /// typed as numbers. Operation ids and summaries are on each endpoint, beside its route.
    /// </summary>
    public static IServiceCollection AddTelephonyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<TelephonyDocumentTransformer>();
            o.AddOperationTransformer<ApiKeyOperationTransformer>();
            o.AddSchemaTransformer<NumberSchemaTransformer>();
        });
}
