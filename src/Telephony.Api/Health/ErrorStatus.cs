using Npgsql;

namespace Telephony.Api.Health;

/// <summary>
/// The status of a request that threw. A body that is not JSON, too large or of the wrong shape is the client's
/// fault (its own 4xx); a database or grain that did not answer in time is a server too busy to answer now (503 with
/// Retry-After: the bridge keeps the batch spooled and posts it again, and nothing of it was journaled half), never a
/// 500 that reads like a bug.
/// </summary>
internal static class ErrorStatus
{
    public const string RetryAfterSeconds = "2";

    public static int Of(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        NpgsqlException { IsTransient: true } or TimeoutException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Problem details of a 503 say what happened and when to retry.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable && context.Exception is not null)
        {
            context.ProblemDetails.Title = "The service is too busy to answer now; retry after the time in Retry-After.";
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
    }
}
