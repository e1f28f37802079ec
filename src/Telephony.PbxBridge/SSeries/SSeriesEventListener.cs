using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// <c>POST /yeastar/events/{push secret}</c> on the bridge's own web host: the PBX pushes each S-Series event here
/// (api.md B3), to the URL the bridge gave it at login, and resends it until it gets 200. A push from anywhere but the
/// PBX, or without the secret, is refused first (<see cref="SSeriesPushGuard"/>). An accepted body is appended to the
/// durable spool (source <c>s-series-http</c>) and then answered 200 at once; the API parses the flat
/// <c>{"event":…}</c> body itself. B3 documents plain HTTP only, with no HTTPS option for the PBX's pushes.
/// </summary>
internal static partial class SSeriesEventListener
{
    public const string Path = "/yeastar/events";

    /// <summary>The secret is optional in the route so that a push without one gets its 403 rather than a 404.</summary>
    public const string Route = Path + "/{token?}";

    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<Results<Ok, ProblemHttpResult, StatusCodeHttpResult, BadRequest>> ReceiveAsync(
        HttpContext context, string? token, SSeriesPushGuard guard, ApiForwarder forwarder, CdrWatermark watermark, LiveCallTracker liveCalls, ILoggerFactory loggers)
    {
        // Before the body is read: a stranger's bytes never reach the spool.
        if (await guard.RefuseAsync(context, token) is { } refusal)
        {
            return refusal;
        }

        var request = context.Request;
        if (request.ContentLength is > MaxBodyBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = (await reader.ReadToEndAsync(context.RequestAborted)).Trim();
        if (body.Length == 0 || body.Length > MaxBodyBytes)
        {
            return TypedResults.BadRequest();
        }

        // Durable before the 200: an event the PBX saw acknowledged must survive a bridge crash.
        await forwarder.EnqueueAsync(body, ApiForwarder.SSeriesHttpSource, context.RequestAborted);
        Track(body, watermark, liveCalls);
        Log.Received(loggers.CreateLogger(typeof(SSeriesEventListener).FullName!), body.Length);
        return TypedResults.Ok();
    }

    /// <summary>
    /// Feeds the catch-up like the P-Series socket does: a NewCdr's timestart moves the watermark and closes its call; any
    /// other event with a callid (Invite, CallStatus, Transfer…) is a call seen live, so a gap's backfill reaches back
    /// to its start until its CDR arrives — a long call that ends while the link is down is not lost.
    /// </summary>
    internal static void Track(string body, CdrWatermark watermark, LiveCallTracker liveCalls)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!JsonFields.TryReadString(root, "event", out var name) || !JsonFields.TryReadString(root, "callid", out var callId))
            {
                return;
            }

            if (!string.Equals(name, "NewCdr", StringComparison.OrdinalIgnoreCase))
            {
                liveCalls.ObserveLiveCall(callId);
                return;
            }

            if (JsonFields.TryReadString(root, "timestart", out var timeStart))
            {
                watermark.Observe(timeStart);
            }

            liveCalls.ObserveCdrFor(callId);
        }
        catch (JsonException)
        {
            // Forwarded as is; the API records it as unparsable.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Received an S-Series event ({Length} characters)")]
        public static partial void Received(ILogger logger, int length);
    }
}
