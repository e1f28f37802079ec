using Microsoft.Extensions.Options;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.PSeries;

/// <summary>Keeps one P-Series WebSocket session (<see cref="PSeriesSession"/>) alive for the lifetime of the bridge.</summary>
internal sealed partial class PSeriesLink(
    PSeriesSession session,
    PSeriesTokenClient tokens,
    CdrWatermark watermark,
    LoginGuard guard,
    PbxLinkStatus link,
    PbxCertificatePolicy certificates,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<PSeriesLink> logger) : IPbxLink
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    // A session that stayed subscribed this long was healthy: the next failure starts the backoff from the bottom.
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var host = settings.GetYeastarBaseUri().Authority;
        var failures = 0;

        // Why a loop that never gives up: the PBX sits on a LAN we do not control and its socket ends for ordinary
        // reasons (60 s idle drop, token expiry, PBX reboot, network blips). Each pass is one session; failures back
        // off exponentially with full jitter so a rebooting PBX is not hammered, and refused logins wait much longer
        // because five failed logins get the bridge's IP blocked on the PBX (A4).
        while (!stoppingToken.IsCancellationRequested)
        {
            var startedAt = time.GetUtcNow();
            TimeSpan delay;
            try
            {
                var reason = await session.RunAsync(stoppingToken);
                Log.Disconnected(logger, host, reason);
                link.SetDisconnected(reason);
                failures = WasHealthy(startedAt) ? 1 : failures + 1;
                delay = Backoff.FullJitter(failures, InitialBackoff, MaxBackoff);
            }
            catch (YeastarApiException ex) when (ex.NeedsOperatorAction && !stoppingToken.IsCancellationRequested)
            {
                var hint = guard.Describe(ex.OperatorHint);
                delay = guard.HasStopped ? LoginGuard.StoppedRecheck : TimeSpan.FromSeconds(settings.YeastarAuthRetrySeconds);
                Log.AuthenticationFailed(logger, host, ex.ErrorCode, ex.ErrorMessage, hint, delay);
                link.SetDisconnected($"Yeastar refused the bridge: {hint}");
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures = WasHealthy(startedAt) ? 1 : failures + 1;
                delay = Backoff.FullJitter(failures, InitialBackoff, MaxBackoff);
                var reason = certificates.Explain(ex) ?? (ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX"));
                Log.SessionFailed(logger, ex, host, reason);
                link.SetDisconnected(reason);
            }

            Log.Reconnecting(logger, host, delay, failures);
            if (!await Backoff.WaitAsync(delay, time, stoppingToken))
            {
                break;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        link.SetDisconnected("Bridge stopped");
        watermark.Flush();

        // Frees one of the PBX's 8 token slots instead of leaving it valid for 30 minutes.
        await tokens.RevokeAsync(cancellationToken);
    }

    private bool WasHealthy(DateTimeOffset startedAt) =>
        link.Current.ConnectedSince is { } since && since >= startedAt && time.GetUtcNow() - since >= HealthySession;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Disconnected from Yeastar {Host}: {Reason}")]
        public static partial void Disconnected(ILogger logger, string host, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Disconnected from Yeastar {Host}: {Reason}")]
        public static partial void SessionFailed(ILogger logger, Exception exception, string host, string reason);

        [LoggerMessage(3, LogLevel.Error, "Yeastar {Host} refused the bridge (errcode {ErrorCode} {ErrorMessage}): {Hint}. Next attempt in {Delay}")]
        public static partial void AuthenticationFailed(ILogger logger, string host, int errorCode, string errorMessage, string hint, TimeSpan delay);

        [LoggerMessage(4, LogLevel.Information, "Reconnecting to Yeastar {Host} in {Delay} (attempt {Attempt})")]
        public static partial void Reconnecting(ILogger logger, string host, TimeSpan delay, int attempt);
    }
}
