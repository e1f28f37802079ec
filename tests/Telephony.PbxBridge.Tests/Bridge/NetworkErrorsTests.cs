using System.Net;
using System.Net.Http;
using System.Net.WebSockets;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>
/// The one description of a failed request (issue 11 §4): what a link status, log line or command result says. It names
/// the kind of failure and never quotes the exception's message, which may carry the request URL and its PBX token.
/// </summary>
public sealed class NetworkErrorsTests
{
    private const string Token = "access_token=Tk9UX0FfUkVBTF9UT0tFTg";

    public static TheoryData<Exception, string> Failures => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused (pbx.local:8088/openapi/v1.0/call/dial?{Token})"), "PBX unreachable (ConnectionError)" },
        { new HttpRequestException($"Response status code does not indicate success: 502 ({Token})", null, HttpStatusCode.BadGateway), "PBX answered HTTP 502" },
        { new WebSocketException(WebSocketError.Faulted, $"wss://pbx.local/openapi/v1.0/subscribe?{Token}", new HttpRequestException(HttpRequestError.NameResolutionError, Token)), "PBX unreachable (NameResolutionError)" },
        { new WebSocketException(WebSocketError.NotAWebSocket, $"wss://pbx.local/openapi/v1.0/subscribe?{Token} answered 200"), "PBX WebSocket failed (NotAWebSocket)" },
        { new TaskCanceledException(Token), "PBX did not answer in time" },
        { new InvalidOperationException(Token), "PBX request failed (InvalidOperationException)" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_described_by_its_kind_and_never_by_its_message(Exception failure, string expected)
    {
        var described = NetworkErrors.Describe(failure, "PBX");

        Assert.Equal(expected, described);
        Assert.DoesNotContain("Tk9UX0", described, StringComparison.Ordinal);
    }
}
