using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge;

/// <summary>
/// Spools PBX frames in memory and delivers them to the API in order, in batches, until the API says each seq is
/// accepted; also keeps the API told whether the PBX link is up.
/// </summary>
internal sealed partial class ApiForwarder(
    IHttpClientFactory httpClientFactory,
    PbxLinkStatus link,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<ApiForwarder> logger) : BackgroundService
{
    public const string HttpClientName = "TelephonyApi";
    public const string WebSocketSource = "websocket";

    private const int MaxBatchSize = 200;
    private static readonly TimeSpan LinkResendInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(30);

    private readonly Channel<ForwardedFrame> queue = Channel.CreateBounded<ForwardedFrame>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // Seqs only need to grow across restarts of this bridge: microseconds since the epoch at start leave room for
    // a million frames per second of uptime before a restarted process could reuse a number.
    private long lastSeq = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>Queues a frame as received. Waits (back-pressure on the socket reader) rather than drop when the spool is full.</summary>
    public async ValueTask EnqueueAsync(string frame, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var item = new ForwardedFrame(Interlocked.Increment(ref lastSeq), receivedAt, WebSocketSource, frame, IsJson(frame));
        if (!queue.Writer.TryWrite(item))
        {
            Log.QueueFull(logger, options.Value.QueueCapacity);
            await queue.Writer.WriteAsync(item, cancellationToken);
        }
    }

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
            await CreateClient().PostLinkAsync(settings.TelephonyPbxId, settings.BridgeId, link.Current, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            Log.LinkReportFailed(logger, ex.Message);
        }
    }

    private async Task SendFramesAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var pending = new List<ForwardedFrame>(MaxBatchSize);
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (pending.Count == 0 && !await queue.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                // Unaccepted frames stay at the head of the batch, so the API always sees frames in seq order.
                while (pending.Count < MaxBatchSize && queue.Reader.TryRead(out var next))
                {
                    pending.Add(next);
                }

                try
                {
                    var accepted = await CreateClient().PostEventsAsync(settings.TelephonyPbxId, settings.BridgeId, pending, stoppingToken);
                    var before = pending.Count;
                    pending.RemoveAll(f => accepted.Contains(f.Seq));
                    if (pending.Count == before)
                    {
                        failures++;
                        Log.NothingAccepted(logger, before);
                    }
                    else
                    {
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
                    Log.DeliveryFailed(logger, pending.Count, failures, ex.Message);
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
            // Shutting down: frames still in memory are lost; the CDR backfill covers calls that ended meanwhile.
            var unsent = pending.Count + queue.Reader.Count;
            if (unsent > 0)
            {
                Log.UnsentAtShutdown(logger, unsent);
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
                    await CreateClient().PostLinkAsync(settings.TelephonyPbxId, settings.BridgeId, snapshot, stoppingToken);
                    wait = LinkResendInterval;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.LinkReportFailed(logger, ex.Message);
                    wait = TimeSpan.FromSeconds(5);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Returns on a link change or after the interval, whichever is first (the periodic re-send lets a restarted API learn the state).
    private async Task WaitForLinkChangeAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await link.Changes.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TelephonyApiClient CreateClient() => new(httpClientFactory.CreateClient(HttpClientName));

    private static bool IsJson(string frame)
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

        [LoggerMessage(5, LogLevel.Warning, "Frame queue is full ({Capacity} frames); pausing the PBX reader until the API catches up")]
        public static partial void QueueFull(ILogger logger, int capacity);

        [LoggerMessage(6, LogLevel.Warning, "Stopping with {Count} frames not yet accepted by the API")]
        public static partial void UnsentAtShutdown(ILogger logger, int count);

        [LoggerMessage(7, LogLevel.Warning, "Reporting the PBX link status to the API failed: {Reason}")]
        public static partial void LinkReportFailed(ILogger logger, string reason);
    }
}
