using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Tenancy;

namespace Telephony.Api.LiveEvents;

internal static class NegotiateApi
{
    public static RouteHandlerBuilder MapNegotiateApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/negotiate", Ok<NegotiateResponse> (HttpContext http, HubTokens tokens) =>
            {
                var (token, expiresAt) = tokens.Issue(http.User);
                return TypedResults.Ok(new NegotiateResponse("/hubs/calls", token, expiresAt));
            })
            .WithName("negotiateLiveEvents").WithSummary("Get the hub's address and an access token for it")
            .WithTags("Live events")
            .RequireAuthorization(AuthPolicies.Agent);
}
