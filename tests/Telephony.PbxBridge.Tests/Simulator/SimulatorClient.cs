using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Raw HTTP + WebSocket access to the simulator, deliberately independent of the bridge's own client.
internal sealed class SimulatorClient : IDisposable
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(15);

    private readonly PbxSim _simulator;

    public SimulatorClient(PbxSim simulator, bool sendUserAgent = true)
    {
        _simulator = simulator;
        Http = new HttpClient { BaseAddress = simulator.BaseUrl };
        if (sendUserAgent)
        {
            Http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OpenAPI", null));
        }
    }

    public HttpClient Http { get; }

    public async Task<JsonElement> PostAsync(string endpoint, object body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(endpoint, UriKind.Relative), content, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string endpointWithQuery, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(endpointWithQuery, UriKind.Relative), cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var response = await PostAsync(
            "openapi/v1.0/get_token", new { username = "simulator", password = "simulator-secret" }, cancellationToken);
        Assert.Equal(0, response.GetProperty("errcode").GetInt32());
        return response.GetProperty("access_token").GetString()!;
    }

    public async Task<ClientWebSocket> SubscribeAsync(string token, int[] topics, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(_simulator.BaseUrl) { Scheme = "ws", Path = "openapi/v1.0/subscribe", Query = $"access_token={token}" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        await SendTextAsync(socket, JsonSerializer.Serialize(new { topic_list = topics }), cancellationToken);
        Assert.Equal("""{"errcode":0,"errmsg":"SUCCESS"}""", await ReceiveTextAsync(socket, cancellationToken));
        return socket;
    }

    public static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    // Next text frame, or null when the server closed the socket; fails after a timeout.
    public static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FrameTimeout);
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        try
        {
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);
        }
        catch (WebSocketException)
        {
            return null;
        }

        return result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    // Reads event frames until a 30012 for callId; returns every frame of that call.
    public static async Task<List<JsonElement>> CollectCallAsync(ClientWebSocket socket, string callId, CancellationToken cancellationToken)
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var text = await ReceiveTextAsync(socket, cancellationToken);
            Assert.NotNull(text);
            var frame = JsonDocument.Parse(text).RootElement.Clone();
            var msg = Msg(frame);
            if (msg.TryGetProperty("call_id", out var id) && id.GetString() == callId)
            {
                frames.Add(frame);
                if (frame.GetProperty("type").GetInt32() == 30012)
                {
                    return frames;
                }
            }
        }
    }

    // A5: msg is a JSON-encoded string for call events; decode it a second time.
    public static JsonElement Msg(JsonElement frame)
    {
        var msg = frame.GetProperty("msg");
        return msg.ValueKind == JsonValueKind.String ? JsonDocument.Parse(msg.GetString()!).RootElement.Clone() : msg;
    }

    public void Dispose() => Http.Dispose();
}
