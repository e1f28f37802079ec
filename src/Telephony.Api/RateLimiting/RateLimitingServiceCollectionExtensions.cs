using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Telephony.Api.RateLimiting;

internal static class RateLimitingServiceCollectionExtensions
{
    /// <summary>A fixed window per API key (per address when there is none); 429 problem details with Retry-After.</summary>
    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var keyId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
                var isFleet = http.User.IsInRole("fleet");
                var isBridge = isFleet || http.User.IsInRole("bridge");

                // One fleet key serves many PBXs: each PBX it serves gets a bridge's allowance, as a bridge key would.
                var partition = keyId is null ? $"ip:{http.Connection.RemoteIpAddress}"
                    : isFleet ? $"key:{keyId}:{http.Request.Headers[Fleet.BridgeAccess.TenantHeader]}:{http.Request.RouteValues["pbxId"]}"
                    : $"key:{keyId}";
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = isBridge ? options.BridgePermitsPerMinute : options.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests for this key; retry after the time in Retry-After." },
                });
            };
        });
        return services;
    }
}
