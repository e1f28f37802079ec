using System.Text;
using System.Text.Json;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// <c>POST /yeastar/events</c> on the bridge's own web host: the PBX pushes each S-Series event here (api.md B3) and
/// resends it until it gets 200. The body is appended to the durable spool (source <c>s-series-http</c>) and then
/// answered 200 at once; the API parses the flat <c>{"event":…}</c> body itself.
/// </summary>
internal static partial class SSeriesEventListener
{
    public const string Path = "/yeastar/events";

    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> ReceiveAsync(HttpContext context, ApiForwarder forwarder, CdrBackfill backfill, ILoggerFactory loggers)
    {
        var request = context.Request;
        if (request.ContentLength is > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = (await reader.ReadToEndAsync(context.RequestAborted)).Trim();
        if (body.Length == 0 || body.Length > MaxBodyBytes)
        {
            return Results.BadRequest();
        }

        // Durable before the 200: an event the PBX saw acknowledged must survive a bridge crash.
        await forwarder.EnqueueAsync(body, ApiForwarder.SSeriesHttpSource, context.RequestAborted);
        if (TryReadNewCdrTime(body, out var timeStart))
        {
            backfill.Observe(timeStart);
        }

        Log.Received(loggers.CreateLogger(typeof(SSeriesEventListener).FullName!), body.Length);
        return Results.Ok();
    }

    /// <summary>timestart of a NewCdr body (B3), which moves the backfill mark like a P-Series 30012 does.</summary>
    internal static bool TryReadNewCdrTime(string body, out string timeStart)
    {
        timeStart = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("event", out var name) && string.Equals(name.GetString(), "NewCdr", StringComparison.OrdinalIgnoreCase)
                && root.TryGetProperty("timestart", out var start) && start.ValueKind == JsonValueKind.String)
            {
                timeStart = start.GetString() ?? "";
                return timeStart.Length > 0;
            }
        }
        catch (JsonException)
        {
            // Forwarded as is; the API records it as unparsable.
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Received an S-Series event ({Length} characters)")]
        public static partial void Received(ILogger logger, int length);
    }
}
