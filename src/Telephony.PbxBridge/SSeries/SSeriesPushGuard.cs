using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Decides whether an S-Series event push may go on (issue 11 §2): it must come from the PBX
/// (<see cref="SSeriesPushSources"/>) and carry the push secret in its path (<see cref="SSeriesPushSecret"/>); a device
/// on the restaurant network must not be able to forge calls. A refusal is a 403 problem, counted by reason in
/// <c>telephony.bridge.push_refused</c> and logged with its source address — a few lines a minute at most.
/// </summary>
internal sealed partial class SSeriesPushGuard
{
    public const string RefusedCounterName = "telephony.bridge.push_refused";

    /// <summary>Refusal lines logged per minute before the rest are only counted.</summary>
    public const int LoggedRefusalsPerMinute = 10;

    private readonly SSeriesPushSecret _secret;
    private readonly SSeriesPushSources _sources;
    private readonly ILogger _logger;
    private readonly Counter<long> _refused;
    private readonly LogThrottle _logThrottle;

    public SSeriesPushGuard(
        SSeriesPushSecret secret, SSeriesPushSources sources, IMeterFactory meterFactory, TimeProvider time, ILogger<SSeriesPushGuard> logger)
    {
        _secret = secret;
        _sources = sources;
        _logger = logger;
        _refused = meterFactory.Create(FrameSpool.MeterName).CreateCounter<long>(
            RefusedCounterName, "{push}", "S-Series event pushes the bridge refused with 403, by reason.");
        _logThrottle = new LogThrottle(time, LoggedRefusalsPerMinute, TimeSpan.FromMinutes(1));
    }

    /// <summary>Null when the push may go on; otherwise the 403 to answer. <paramref name="token"/> is the path's last segment.</summary>
    public async ValueTask<ProblemHttpResult?> RefuseAsync(HttpContext context, string? token)
    {
        var source = context.Connection.RemoteIpAddress;
        var refusal = !await _sources.IsAllowedAsync(source, context.RequestAborted) ? SSeriesPushRefusal.SourceNotAllowed
            : string.IsNullOrEmpty(token) ? SSeriesPushRefusal.NoPushToken
            : !_secret.Matches(token) ? SSeriesPushRefusal.WrongPushToken
            : null;
        if (refusal is null)
        {
            return null;
        }

        _refused.Add(1, new KeyValuePair<string, object?>("reason", refusal.Reason));
        if (_logThrottle.TryAcquire(out var unlogged))
        {
            // The source and the reason only: the path holds a token, right or wrong.
            var address = source is null ? "unknown" : IpRangeList.Normalize(source).ToString();
            Log.Refused(_logger, address, refusal.Description, unlogged);
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "S-Series event push refused", detail: refusal.Detail);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "Refused an S-Series event push from {Source}: {Reason} ({Unlogged} refusals before this one were counted but not logged)")]
        public static partial void Refused(ILogger logger, string source, string reason, long unlogged);
    }
}
