using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Decides whether an S-Series event push may go on (issue 11 §2): it must come from the PBX
/// (<see cref="SSeriesPushSources"/>) and carry the push secret in its path (<see cref="SSeriesPushSecret"/>); a device
/// on the restaurant network must not be able to forge calls. A refusal is a 403 problem, counted and logged
/// (<see cref="SSeriesPushRefusals"/>).
/// </summary>
internal sealed class SSeriesPushGuard
{
    public const string RefusedCounterName = "telephony.bridge.push_refused";

    /// <summary>Refusal lines logged per minute before the rest are only counted.</summary>
    public const int LoggedRefusalsPerMinute = 10;

    private readonly SSeriesPushSecret _secret;
    private readonly SSeriesPushSources _sources;
    private readonly SSeriesPushRefusals _refusals;

    public SSeriesPushGuard(
        SSeriesPushSecret secret, SSeriesPushSources sources, IMeterFactory meterFactory, TimeProvider time, ILogger<SSeriesPushGuard> logger)
    {
        _secret = secret;
        _sources = sources;
        _refusals = new SSeriesPushRefusals(meterFactory, time, logger);
    }

    /// <summary>Null when the push may go on; otherwise the 403 to answer. <paramref name="token"/> is the path's last segment.</summary>
    public async ValueTask<ProblemHttpResult?> RefuseAsync(HttpContext context, string? token)
    {
        var source = context.Connection.RemoteIpAddress;
        var refusal = !await _sources.IsAllowedAsync(source, context.RequestAborted) ? SSeriesPushRefusal.SourceNotAllowed
            : string.IsNullOrEmpty(token) ? SSeriesPushRefusal.NoPushToken
            : !_secret.Matches(token) ? SSeriesPushRefusal.WrongPushToken
            : null;
        return refusal is null ? null : _refusals.Refuse(context, refusal);
    }
}
