using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Answers a refused S-Series push: a 403 problem, counted by reason in <c>telephony.bridge.push_refused</c> and logged
/// with its source address, a few lines a minute at most. Used by each PBX's <see cref="SSeriesPushGuard"/> and, in fleet
/// mode, for a push whose secret belongs to no PBX served here.
/// </summary>
internal sealed partial class SSeriesPushRefusals
{
    private readonly ILogger _logger;
    private readonly Counter<long> _refused;
    private readonly LogThrottle _logThrottle;

    public SSeriesPushRefusals(IMeterFactory meterFactory, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _refused = meterFactory.Create(FrameSpool.MeterName).CreateCounter<long>(
            SSeriesPushGuard.RefusedCounterName, "{push}", "S-Series event pushes the bridge refused with 403, by reason.");
        _logThrottle = new LogThrottle(time, SSeriesPushGuard.LoggedRefusalsPerMinute, TimeSpan.FromMinutes(1));
    }

    public ProblemHttpResult Refuse(HttpContext context, SSeriesPushRefusal refusal)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("reason", refusal.Reason));
        if (_logThrottle.TryAcquire(out var unlogged))
        {
            // The source and the reason only: the path holds a token, right or wrong.
            var source = context.Connection.RemoteIpAddress;
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
