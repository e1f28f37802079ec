namespace Telephony.PbxBridge;

/// <summary>
/// The one way the bridge puts a failed request into words for a log line, a link status or a command result: the
/// error's kind only, never its message, because HTTP stack messages may quote the request URL, which carries the
/// PBX token (style rule 20).
/// </summary>
internal static class NetworkErrors
{
    /// <param name="peer">Who was asked, as a person reads it: "PBX", "Yeastar S-Series API", "the API".</param>
    public static string Describe(Exception exception, string peer) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => $"{peer} answered HTTP {(int)status}",
        HttpRequestException http => $"{peer} unreachable ({http.HttpRequestError})",
        System.Net.WebSockets.WebSocketException { InnerException: HttpRequestException inner } => Describe(inner, peer),
        System.Net.WebSockets.WebSocketException ws => $"{peer} WebSocket failed ({ws.WebSocketErrorCode})",
        TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => $"{peer} did not answer in time",
        System.Text.Json.JsonException => $"{peer} answered with malformed JSON",
        _ => $"{peer} request failed ({exception.GetType().Name})",
    };
}
