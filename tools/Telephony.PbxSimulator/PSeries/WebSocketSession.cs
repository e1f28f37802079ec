using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Telephony.PbxSimulator.Engine;

namespace Telephony.PbxSimulator.PSeries;

// One subscriber socket (A5): topic_list handling, heartbeat replies, idle drop and a single sender loop.
internal sealed class WebSocketSession
{
    private const int MaxFrameBytes = 64 * 1024;
    private static long s_nextId;

    private readonly WebSocket _socket;
    private readonly SimClock _clock;
    private readonly PbxSimulatorOptions _options;
    private readonly PbxFaults _faults;
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _topicsGate = new();
    private HashSet<int> _topics = [];

    public WebSocketSession(WebSocket socket, SimClock clock, PbxSimulatorOptions options, PbxFaults faults)
    {
        _socket = socket;
        _clock = clock;
        _options = options;
        _faults = faults;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public long Id { get; }

    public bool IsSubscribed(int type)
    {
        lock (_topicsGate)
        {
            return _topics.Contains(type);
        }
    }

    public void Enqueue(string text) => _outbox.Writer.TryWrite(text);

    public void Abort()
    {
        _outbox.Writer.TryComplete();
        _socket.Abort();
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var sender = SendLoopAsync(stoppingToken);
        try
        {
            await ReceiveLoopAsync(stoppingToken);
        }
        catch (WebSocketException)
        {
            // Client vanished or the socket was aborted by a fault switch: nothing left to do.
        }
        catch (OperationCanceledException)
        {
            // Idle timeout or simulator shutdown; the socket is aborted below.
        }
        finally
        {
            Abort();
            await sender;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        var buffer = new byte[MaxFrameBytes];
        while (_socket.State == WebSocketState.Open)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);

            // A5: "Connection dropped after 60 s without interaction" — any client frame resets the timer.
            idle.CancelAfter(_clock.ToReal(_options.IdleTimeout));
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "frame too large", stoppingToken);
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), idle.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, stoppingToken);
                return;
            }

            HandleFrame(Encoding.UTF8.GetString(buffer, 0, length), stoppingToken);
        }
    }

    private void HandleFrame(string text, CancellationToken stoppingToken)
    {
        // A5: the heartbeat is the bare text "heartbeat" and the reply the bare text "heartbeat response".
        if (string.Equals(text.Trim(), "heartbeat", StringComparison.Ordinal))
        {
            _ = ReplyToHeartbeatAsync(stoppingToken);
            return;
        }

        var topics = ParseTopicList(text);
        if (topics is null)
        {
            // Malformed subscribe replies are UNKNOWN (A5); answer with the documented generic parameter error.
            Enqueue(PbxJson.Serialize(PbxJson.ParameterError()));
            return;
        }

        // A5 [FIELD]: a new topic_list replaces the subscription set.
        lock (_topicsGate)
        {
            _topics = topics;
        }

        Enqueue(PbxJson.Serialize(PbxJson.Success()));
    }

    private async Task ReplyToHeartbeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            var delay = _faults.HeartbeatReplyDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stoppingToken);
            }

            Enqueue("heartbeat response");
        }
        catch (OperationCanceledException)
        {
            // Simulator stopping; the reply is moot.
        }
    }

    private static HashSet<int>? ParseTopicList(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("topic_list", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var topics = new HashSet<int>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var topic))
                {
                    return null;
                }

                topics.Add(topic);
            }

            return topics;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var text in FaultyDelivery.ReadAsync(_outbox.Reader, _faults, EventKey, stoppingToken))
            {
                if (_socket.State != WebSocketState.Open)
                {
                    return;
                }

                await SendAsync(text, stoppingToken);
            }
        }
        catch (WebSocketException)
        {
            // Socket died underneath the sender; the receive loop tears the session down.
        }
        catch (OperationCanceledException)
        {
            // Simulator stopping.
        }
        catch (ObjectDisposedException)
        {
            // Socket already disposed by the server after the request ended.
        }
    }

    private Task SendAsync(string text, CancellationToken stoppingToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, stoppingToken);

    // "call:<id>" or "ext:<number>" for an event frame {type, sn, msg}; null for replies and heartbeat responses.
    private static string? EventKey(string text)
    {
        if (!text.StartsWith("{\"type\":", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var frame = JsonDocument.Parse(text);
            if (!frame.RootElement.TryGetProperty("msg", out var msg))
            {
                return "other";
            }

            using var inner = msg.ValueKind == JsonValueKind.String ? JsonDocument.Parse(msg.GetString() ?? "{}") : null;
            var body = inner?.RootElement ?? msg;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("call_id", out var callId))
            {
                return "call:" + callId.GetString();
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("extension", out var extension))
            {
                return "ext:" + extension.GetString();
            }

            return "other";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
