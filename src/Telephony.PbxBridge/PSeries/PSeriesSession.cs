using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;
using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// One WebSocket session with the PBX (A5): connect with an access token, subscribe, then heartbeat, keep the token
/// fresh and hand every event frame to the <see cref="ApiForwarder"/> until the socket ends.
/// </summary>
internal sealed partial class PSeriesSession(
    PSeriesTokenClient tokens,
    ApiForwarder forwarder,
    IExtensionSync extensionSync,
    ICdrBackfill backfill,
    CdrWatermark watermark,
    LiveCallTracker liveCalls,
    PSeriesActiveCallSync activeCalls,
    PbxLinkStatus link,
    PbxCertificatePolicy certificates,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<PSeriesSession> logger)
{
    private const string Heartbeat = "heartbeat";
    private const int CallStatusEvent = 30011;
    private const int NewCdrEvent = 30012;
    private const int ExtensionChangedEvent = 30022;
    private const string HeartbeatResponse = "heartbeat response";
    private const int MaxFrameBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    // A backfill window not yet in the spool is retried as long as the session lives, every minute at most.
    private static readonly TimeSpan BackfillRetryInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackfillRetryMax = TimeSpan.FromSeconds(60);

    /// <summary>Runs until the session ends; returns why it ended, or throws when it could not be established or broke.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var baseUri = settings.GetYeastarBaseUri();
        var host = baseUri.Authority;
        var topics = settings.GetTopicList();
        var token = await tokens.GetTokenAsync(cancellationToken);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", "OpenAPI");
        socket.Options.RemoteCertificateValidationCallback = certificates.Validate;

        // The PBX counts only its documented text "heartbeat" as traffic; no unsolicited WebSocket pongs.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;

        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // 30022 (extension configuration changed) asks for a fresh extension sync; capacity 1: one pending sync is enough.
        var extensionChanges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var sessionToken = sessionCts.Token;
        try
        {
            await ConnectAsync(socket, SubscribeUri(baseUri, token.AccessToken), token, sessionToken);

            Log.Connected(logger, host);
            var state = new SessionState(time.GetUtcNow(), extensionChanges);
            watermark.MarkGap(settings.GetPbxTimeZone(), time.GetUtcNow());

            await SendTextAsync(socket, JsonSerializer.Serialize(new Subscription(topics), SessionJson.Default.Subscription), sessionToken);
            var ended = await AwaitSubscribeReplyAsync(socket, token, state, sessionToken);
            if (ended is not null)
            {
                return ended;
            }

            Log.Subscribed(logger, topics.Length);
            link.SetConnected();

            var receive = ReceiveLoopAsync(socket, token, state, sessionToken);
            var heartbeat = HeartbeatLoopAsync(socket, state, settings.YeastarHeartbeatInterval, sessionToken);
            var keepToken = KeepTokenFreshAsync(token, sessionToken);

            // Not one of the session's loops: its end (or failure) never ends the session.
            var catchUp = CatchUpAsync(extensionChanges.Reader, sessionToken);

            // Whichever loop ends first ends the session; the others are cancelled and observed.
            var first = await Task.WhenAny(receive, heartbeat, keepToken);
            await sessionCts.CancelAsync();
            try
            {
                await Task.WhenAll(receive, heartbeat, keepToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception) when (first.IsCompletedSuccessfully)
            {
                // A loop torn down by the cancellation may fault on the aborted socket; the first result is the reason.
            }

            await catchUp;

            return await first;
        }
        finally
        {
            await CloseQuietlyAsync(socket);
        }
    }

    private async Task ConnectAsync(ClientWebSocket socket, Uri uri, PSeriesToken token, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            // The PBX answered the upgrade with a plain HTTP response instead of 101: with a token it no longer
            // accepts it answers 200 + errcode 10004 (A3), so the next attempt must not reuse this token.
            tokens.MarkRejected(token);
            throw new WebSocketException(
                WebSocketError.NotAWebSocket,
                $"The PBX answered the WebSocket upgrade with HTTP {(int)socket.HttpStatusCode} instead of 101.");
        }
    }

    /// <summary>The socket URL with the token; never log it (style rule 20) — use <see cref="Uri.Authority"/>.</summary>
    internal static Uri SubscribeUri(Uri baseUri, string accessToken)
    {
        var scheme = baseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var builder = new UriBuilder(baseUri)
        {
            Scheme = scheme,
            Path = "/openapi/v1.0/subscribe",
            Query = "access_token=" + Uri.EscapeDataString(accessToken),
        };
        return builder.Uri;
    }

    private async Task<string?> AwaitSubscribeReplyAsync(ClientWebSocket socket, PSeriesToken token, SessionState state, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        while (true)
        {
            var frame = await ReceiveTextAsync(socket, state, timeout.Token);
            if (frame is null)
            {
                return $"PBX closed the socket before confirming the subscription ({Describe(socket)})";
            }

            if (TryReadErrcode(frame, out var errcode, out var errmsg))
            {
                if (errcode == YeastarErrorCodes.Success)
                {
                    return null;
                }

                if (errcode == YeastarErrorCodes.TokenExpired)
                {
                    tokens.MarkRejected(token);
                }

                throw new YeastarApiException("subscribe", errcode, errmsg);
            }

            // An event that overtook the reply is still an event.
            if (!IsHeartbeatResponse(frame))
            {
                await ForwardAsync(frame, state, cancellationToken);
            }
        }
    }

    private async Task<string> ReceiveLoopAsync(ClientWebSocket socket, PSeriesToken token, SessionState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReceiveTextAsync(socket, state, cancellationToken);
            if (frame is null)
            {
                return $"PBX closed the socket ({Describe(socket)})";
            }

            if (IsHeartbeatResponse(frame))
            {
                continue;
            }

            // Field evidence (A5): at token expiry the PBX may push {"errcode":10004,...} on the open socket.
            if (frame.Contains("10004", StringComparison.Ordinal)
                && TryReadErrcode(frame, out var errcode, out _)
                && errcode == YeastarErrorCodes.TokenExpired)
            {
                tokens.MarkRejected(token);
                return "access token expired (errcode 10004)";
            }

            await ForwardAsync(frame, state, cancellationToken);
        }
    }

    private async Task ForwardAsync(string frame, SessionState state, CancellationToken cancellationToken)
    {
        await forwarder.EnqueueAsync(frame, time.GetUtcNow(), cancellationToken);

        // Cheap pre-check: only 30011 (open calls), 30012 (its time_start is the backfill mark) and 30022 are looked at more closely.
        if (!frame.Contains("30011", StringComparison.Ordinal) && !frame.Contains("30012", StringComparison.Ordinal) && !frame.Contains("30022", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !type.TryGetInt32(out var eventId))
            {
                return;
            }

            if (eventId == CallStatusEvent && PSeriesFrames.TryReadCallId(root, out var liveCallId))
            {
                liveCalls.ObserveLiveCall(liveCallId);
            }
            else if (eventId == NewCdrEvent && PSeriesFrames.TryReadTimeStart(root, out var timeStart))
            {
                watermark.Observe(timeStart);
                if (PSeriesFrames.TryReadCallId(root, out var cdrCallId))
                {
                    liveCalls.ObserveCdrFor(cdrCallId);
                }
            }
            else if (eventId == ExtensionChangedEvent)
            {
                state.ExtensionChanges.TryWrite(true);
            }
        }
        catch (JsonException)
        {
        }
    }

    // After every (re)subscribe — i.e. after any gap — the extension list and the CDRs missed meanwhile are fetched;
    // then each 30022 re-syncs the extensions. Failures are logged inside and retried at the next subscribe.
    private async Task CatchUpAsync(ChannelReader<bool> extensionChanges, CancellationToken cancellationToken)
    {
        try
        {
            await extensionSync.SyncAsync(cancellationToken);

            // The gap's CDRs are what make "no call lost" true: retry the same window until it is in the spool,
            // and only then tell the API which calls are still live (a missing CDR must not be mistaken for a lost BYE).
            for (var attempt = 1; await backfill.RunAsync(cancellationToken) is null; attempt++)
            {
                await Task.Delay(Backoff.EqualJitter(attempt, BackfillRetryInitial, BackfillRetryMax), time, cancellationToken);
            }

            await activeCalls.SyncAsync(cancellationToken);
            while (await extensionChanges.WaitToReadAsync(cancellationToken))
            {
                while (extensionChanges.TryRead(out _))
                {
                }

                await extensionSync.SyncAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.CatchUpFailed(logger, ex.GetType().Name);
        }
    }

    private async Task<string> HeartbeatLoopAsync(ClientWebSocket socket, SessionState state, int intervalSeconds, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(intervalSeconds);

        // The PBX answers every heartbeat; this long without any frame means the link is dead even if TCP has not noticed.
        var silenceLimit = interval * 3;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var silent = time.GetUtcNow() - state.LastReceivedAt;
            if (silent > silenceLimit)
            {
                return $"no frame from the PBX for {silent.TotalSeconds:F0} s (heartbeat unanswered)";
            }

            await SendTextAsync(socket, Heartbeat, cancellationToken);
        }

        return "heartbeat stopped";
    }

    // A5: the token is needed only to open the socket, but the docs say to refresh it to keep the connection;
    // refreshing on schedule also means the next reconnect has a valid token without a fresh login.
    private async Task<string> KeepTokenFreshAsync(PSeriesToken token, CancellationToken cancellationToken)
    {
        while (true)
        {
            var due = token.RefreshAt - time.GetUtcNow();
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, time, cancellationToken);
            }

            token = await tokens.GetTokenAsync(cancellationToken);
        }
    }

    private async Task<string?> ReceiveTextAsync(ClientWebSocket socket, SessionState state, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxFrameBytes)
                        {
                            throw new InvalidDataException($"A PBX frame exceeded {MaxFrameBytes} bytes.");
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                state.LastReceivedAt = time.GetUtcNow();
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return null;
                    case WebSocketMessageType.Text:
                        return Encoding.UTF8.GetString(buffer, 0, length);
                    default:
                        Log.BinaryFrameIgnored(logger, length);
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            socket.Abort();
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bridge closing", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private static bool IsHeartbeatResponse(string frame) =>
        string.Equals(frame.Trim(), HeartbeatResponse, StringComparison.Ordinal);

    private static bool TryReadErrcode(string frame, out int errcode, out string errmsg)
    {
        errcode = 0;
        errmsg = "";
        if (!frame.TrimStart().StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(frame);
            if (document.RootElement.TryGetProperty("errcode", out var code) && code.TryGetInt32(out errcode))
            {
                errmsg = document.RootElement.TryGetProperty("errmsg", out var message) && message.ValueKind == JsonValueKind.String
                    ? message.GetString() ?? ""
                    : "";
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static string Describe(ClientWebSocket socket) =>
        socket.CloseStatus is { } status ? $"{(int)status} {socket.CloseStatusDescription}".TrimEnd() : "no close status";

    /// <summary>A5 subscribe request: <c>{"topic_list":[30011,…]}</c>.</summary>
    private sealed record Subscription([property: JsonPropertyName("topic_list")] int[] TopicList);

    // Source-generated: no reflection, so the bridge compiles ahead of time.
    [JsonSerializable(typeof(Subscription))]
    private sealed partial class SessionJson : JsonSerializerContext
    {
    }

    // Written by the receive loop, read by the heartbeat loop: ticks behind Interlocked so the read is never torn.
    private sealed class SessionState(DateTimeOffset lastReceivedAt, Channel<bool> extensionChanges)
    {
        private long lastReceivedTicks = lastReceivedAt.UtcTicks;

        public ChannelWriter<bool> ExtensionChanges { get; } = extensionChanges.Writer;

        public DateTimeOffset LastReceivedAt
        {
            get => new(Interlocked.Read(ref lastReceivedTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref lastReceivedTicks, value.UtcTicks);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to Yeastar {Host}")]
        public static partial void Connected(ILogger logger, string host);

        [LoggerMessage(2, LogLevel.Information, "Subscribed to Yeastar events ({TopicCount} topics)")]
        public static partial void Subscribed(ILogger logger, int topicCount);

        [LoggerMessage(3, LogLevel.Debug, "Ignored a binary frame of {Length} bytes from the PBX")]
        public static partial void BinaryFrameIgnored(ILogger logger, int length);

        [LoggerMessage(4, LogLevel.Warning, "Extension sync or CDR backfill stopped unexpectedly ({Kind}); it runs again at the next subscribe")]
        public static partial void CatchUpFailed(ILogger logger, string kind);
    }
}
