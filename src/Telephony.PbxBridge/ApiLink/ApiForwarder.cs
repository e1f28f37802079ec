using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge.ApiLink;

/// <summary>
/// Appends PBX frames to the durable <see cref="FrameSpool"/> and delivers them to the API in spool (seq) order, in
/// batches, until the API says each seq is accepted; also keeps the API told whether the PBX link is up.
/// </summary>
internal sealed partial class ApiForwarder(
    TelephonyApiClient api,
    PbxLinkStatus link,
    FrameSpool spool,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<ApiForwarder> logger) : BackgroundService
{
    public const string WebSocketSource = "websocket";
    public const string CdrBackfillSource = "cdr-backfill";
    public const string SSeriesHttpSource = "s-series-http";

    private const int MaxBatchSize = 200;
    private static readonly TimeSpan LinkResendInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(30);

    /// <summary>A WebSocket frame as received; returns once it is fsync'd in the spool, waiting (never dropping) while the spool is full.</summary>
    public async ValueTask EnqueueAsync(string frame, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        await spool.AppendAsync(frame, WebSocketSource, receivedAt, cancellationToken);

    /// <summary>A frame from <paramref name="source"/> ("websocket", "cdr-backfill", "s-series-http") received now; durable on return.</summary>
    public async ValueTask EnqueueAsync(string frame, string source, CancellationToken cancellationToken) =>
        await spool.AppendAsync(frame, source, time.GetUtcNow(), cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendFramesAsync(stoppingToken), ReportLinkAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // The worker stopped first (hosted services stop in reverse order) and marked the link down; tell the API now
        // rather than leave it to notice the missing 30 s re-send.
        var settings = options.Value;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await api.PostLinkAsync(settings.TelephonyPbxId, settings.BridgeId, link.Current, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            Log.LinkReportFailed(logger, NetworkErrors.Describe(ex, "the API"));
        }
    }

    private async Task SendFramesAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;

        // In seq order; accepted frames leave it, so its head is always the oldest frame the API has not accepted.
        var pending = new List<ForwardedFrame>(MaxBatchSize);
        var lastRead = 0L;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var fresh = pending.Count == 0
                    ? await spool.ReadAsync(MaxBatchSize, stoppingToken)
                    : spool.TryRead(MaxBatchSize - pending.Count);
                pending.AddRange(fresh);
                if (fresh.Count > 0)
                {
                    lastRead = fresh[^1].Seq;
                }

                if (pending.Count == 0)
                {
                    continue;
                }

                try
                {
                    var accepted = await api.PostEventsAsync(settings.TelephonyPbxId, settings.BridgeId, pending, stoppingToken);
                    var before = pending.Count;
                    pending.RemoveAll(f => accepted.Contains(f.Seq));
                    if (pending.Count == before)
                    {
                        failures++;
                        Log.NothingAccepted(logger, before);
                    }
                    else
                    {
                        // Every frame read before the oldest unaccepted one is accepted, and seqs are integers.
                        spool.Acknowledge(pending.Count == 0 ? lastRead : pending[0].Seq - 1);
                        if (failures > 0)
                        {
                            Log.DeliveryResumed(logger, before - pending.Count);
                        }

                        failures = 0;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    Log.DeliveryFailed(logger, pending.Count, failures, NetworkErrors.Describe(ex, "the API"));
                }

                if (failures > 0)
                {
                    var delay = Backoff.FullJitter(failures, RetryInitial, RetryMax);
                    Log.RetryingDelivery(logger, pending.Count, delay);
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Unaccepted frames stay in the spool and are sent first, with their seqs, after the restart.
            if (pending.Count > 0)
            {
                Log.UnsentAtShutdown(logger, pending.Count, spool.TotalBytes);
            }
        }
    }

    private async Task ReportLinkAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var wait = TimeSpan.Zero;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitForLinkChangeAsync(wait, stoppingToken);
                while (link.Changes.TryRead(out _))
                {
                }

                var snapshot = link.Current;
                try
                {
                    await api.PostLinkAsync(settings.TelephonyPbxId, settings.BridgeId, snapshot, stoppingToken);
                    wait = LinkResendInterval;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.LinkReportFailed(logger, NetworkErrors.Describe(ex, "the API"));
                    wait = TimeSpan.FromSeconds(5);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Returns on a link change or after the interval, whichever is first (the periodic re-send lets a restarted API learn the state).
    private Task WaitForLinkChangeAsync(TimeSpan interval, CancellationToken stoppingToken) =>
        ChannelWait.ForItemOrTimeoutAsync(link.Changes, interval, time, stoppingToken);

    internal static bool IsJson(string frame)
    {
        if (string.IsNullOrWhiteSpace(frame))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(frame));
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Delivering {Count} frames to the API failed (attempt {Attempt}): {Reason}")]
        public static partial void DeliveryFailed(ILogger logger, int count, int attempt, string reason);

        [LoggerMessage(2, LogLevel.Warning, "The API accepted none of {Count} frames")]
        public static partial void NothingAccepted(ILogger logger, int count);

        [LoggerMessage(3, LogLevel.Information, "Retrying delivery of {Count} frames in {Delay}")]
        public static partial void RetryingDelivery(ILogger logger, int count, TimeSpan delay);

        [LoggerMessage(4, LogLevel.Information, "Delivery to the API resumed ({Count} frames accepted)")]
        public static partial void DeliveryResumed(ILogger logger, int count);

        [LoggerMessage(6, LogLevel.Information, "Stopping with {Count} frames in flight not yet accepted by the API; they stay in the spool ({Bytes} bytes) and are sent first on restart")]
        public static partial void UnsentAtShutdown(ILogger logger, int count, long bytes);

        [LoggerMessage(7, LogLevel.Warning, "Reporting the PBX link status to the API failed: {Reason}")]
        public static partial void LinkReportFailed(ILogger logger, string reason);
    }
}
