using Microsoft.Extensions.Options;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Keeps the S-Series link alive (api.md B2/B3): log in (MD5, version 2.0.0, the event URL), then heartbeat every
/// YEASTAR_HEARTBEAT_INTERVAL seconds — events are only pushed while the token is valid and the token dies after
/// 30 idle minutes. The link counts as connected while login and heartbeats succeed. After each login the
/// extension list is synced and missed CDRs are backfilled. Refused logins wait (20003: YEASTAR_AUTH_RETRY_SECONDS;
/// 20002 lock: at least 10 minutes) and say what to fix; four refusals in a row stop the logins (<see cref="LoginGuard"/>).
/// </summary>
internal sealed partial class SSeriesLink(
    SSeriesSession session,
    ICdrBackfill backfill,
    IExtensionSync extensions,
    CdrWatermark mark,
    LoginGuard guard,
    PbxLinkStatus link,
    PbxCertificatePolicy certificates,
    IHostApplicationLifetime lifetime,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<SSeriesLink> logger) : IPbxLink
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // The event URL may come from the bound address, known only once the web host listens.
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        var host = options.Value.GetYeastarBaseUri().Authority;
        var interval = TimeSpan.FromSeconds(options.Value.YeastarHeartbeatInterval);
        var failures = 0;
        var caughtUpLogin = 0;

        // False after a new login, any failed contact or a sweep interval: the next good pass asks the PBX for the CDRs.
        var backfilled = true;
        var sweep = TimeSpan.FromSeconds(options.Value.YeastarCdrSweepSeconds);
        var lastBackfill = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var token = await session.GetTokenAsync(stoppingToken);
                if (session.Logins != caughtUpLogin)
                {
                    caughtUpLogin = session.Logins;
                    link.SetConnected();
                    await extensions.SyncAsync(stoppingToken);
                    backfilled = false;
                }

                // A failed backfill keeps its window and is retried every heartbeat until the gap's CDRs are in the spool.
                if (!backfilled || time.GetUtcNow() - lastBackfill >= sweep)
                {
                    backfilled = await backfill.RunAsync(stoppingToken) is not null;
                    lastBackfill = time.GetUtcNow();
                }

                var reply = await session.CallAsync((client, t, ct) => client.HeartbeatAsync(t, session.EventTarget(), ct), stoppingToken);
                if (reply.IsSuccess)
                {
                    link.SetConnected();
                    failures = 0;
                    var untilSweep = lastBackfill + sweep - time.GetUtcNow();
                    delay = TimeSpan.FromTicks(Math.Clamp(untilSweep.Ticks, 0, interval.Ticks));
                }
                else
                {
                    // A token error was retried with a fresh login inside CallAsync; anything else is a PBX-side refusal.
                    failures++;
                    delay = Backoff.FullJitter(failures, InitialBackoff, MaxBackoff);
                    var reason = $"Yeastar S-Series heartbeat answered errno {reply.Errno}";
                    Log.HeartbeatRefused(logger, host, reply.Errno ?? "", delay);
                    link.SetDisconnected(reason);
                    session.MarkRejected(token);
                    backfilled = false;
                    mark.MarkGap(options.Value.GetPbxTimeZone(), time.GetUtcNow());
                }
            }
            catch (YeastarApiException ex) when (ex.Operation == SSeriesClient.LoginOperation && !stoppingToken.IsCancellationRequested)
            {
                var reason = guard.Describe(SSeriesHints.ForLogin(ex.ErrorCode));
                delay = guard.HasStopped ? LoginGuard.StoppedRecheck : guard.OnHoldFor;
                delay = delay > TimeSpan.Zero ? delay : Backoff.FullJitter(++failures, InitialBackoff, MaxBackoff);
                Log.LoginRefused(logger, host, ex.ErrorCode, reason, delay);
                link.SetDisconnected($"Yeastar refused the bridge: {reason}");
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                delay = Backoff.FullJitter(failures, InitialBackoff, MaxBackoff);
                var reason = ex is YeastarApiException ? ex.Message : certificates.Explain(ex) ?? NetworkErrors.Describe(ex, "Yeastar S-Series API");
                Log.LinkFailed(logger, host, reason, delay);
                link.SetDisconnected(reason);

                // The PBX gives up on events it could not deliver meanwhile, even if the token survives: backfill the gap.
                backfilled = false;
                mark.MarkGap(options.Value.GetPbxTimeZone(), time.GetUtcNow());
            }

            if (!await Backoff.WaitAsync(delay, time, stoppingToken))
            {
                break;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        link.SetDisconnected("Bridge stopped");
        mark.Flush();

        // Stops the PBX pushing to a listener that is going away.
        await session.LogoutAsync(cancellationToken);
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Yeastar {Host} refused the S-Series login (errno {Errno}): {Hint}. Next attempt in {Delay}")]
        public static partial void LoginRefused(ILogger logger, string host, int errno, string hint, TimeSpan delay);

        [LoggerMessage(2, LogLevel.Warning, "Yeastar {Host} S-Series heartbeat answered errno {Errno}; logging in again in {Delay}")]
        public static partial void HeartbeatRefused(ILogger logger, string host, string errno, TimeSpan delay);

        [LoggerMessage(3, LogLevel.Warning, "Yeastar {Host} S-Series link failed: {Reason}. Retrying in {Delay}")]
        public static partial void LinkFailed(ILogger logger, string host, string reason, TimeSpan delay);
    }
}
