using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Telephony.Api.Tenancy;

namespace Telephony.Api.OpenApi;

/// <summary>The document's title, the API key's security scheme and what each tag groups.</summary>
internal sealed class TelephonyDocumentTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Calls"] = "Calls in progress, history (paged, filtered, CSV), one call with its legs, and the customer, orders and notes linked to a call. Agent and admin keys.",
        ["Call control"] = "Click-to-call and hang-up, carried out by the PBX's bridge. Agent and admin keys.",
        ["Statistics"] = "Per-tenant and per-extension call statistics over the tenant's days. Agent and admin keys.",
        ["Extensions"] = "The PBX's extensions and their live status. Agent and admin keys.",
        ["PBX"] = "The tenant's PBXs and whether their bridges are linked. Agent and admin keys.",
        ["Live events"] = "Connection details for the SignalR hub /hubs/calls, which pushes call and extension events. Agent and admin keys.",
        ["Recordings"] = "A call's recording: played by the tenant's agents (HTTP ranges), erased by its admin.",
        ["Bridge"] = "What a PBX bridge posts and polls: frames, link status, extension and active-call snapshots, commands, recordings. Bridge keys for their own PBX; fleet keys under the PBX's lease.",
        ["Admin"] = "Tenants, PBX records and API keys. Admin keys: the bootstrap admin key manages every tenant and fleet keys; a tenant's admin key manages its own tenant.",
        ["Fleet"] = "What fleet bridges read and lease across tenants. Fleet keys only.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Telephony API";
        document.Info.Description = "Yeastar PBX calls for FoodFlow: history, statistics, call control and the bridge's ingest. "
            + "Errors are RFC 7807 problem details. Every operation needs an API key (Authorization: Bearer <key>); an operation's tag says which roles may call it.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key of one tenant (role admin, agent or bridge) or a fleet key, sent as Authorization: Bearer <key>.",
        };

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        // The server is the address the document was fetched from; a trailing slash would double up with every path.
        foreach (var server in document.Servers ?? Enumerable.Empty<OpenApiServer>())
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }
}
