using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Telephony.Api.Health;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        // Liveness answers without touching dependencies; readiness checks the database.
        routes.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return routes;
    }
}
