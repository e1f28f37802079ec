using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// The few P-Series Open API calls the bridge needs (A2, A9–A11). Every request carries <c>User-Agent: OpenAPI</c>
/// (set on the HttpClient); errors arrive as HTTP 200 with errcode ≠ 0 and become <see cref="YeastarApiException"/>.
/// </summary>
internal sealed partial class PSeriesClient(HttpClient http)
{
    public const string HttpClientName = "Yeastar";
    public const string GetTokenOperation = "get_token";
    public const string RefreshTokenOperation = "refresh_token";
    public const string DeleteTokenOperation = "del_token";

    public Task<TokenResponse> GetTokenAsync(string clientId, string clientSecret, CancellationToken cancellationToken) =>
        PostAsync(GetTokenOperation, new GetTokenRequest(clientId, clientSecret), OpenApiJson.Default.GetTokenRequest, cancellationToken);

    public Task<TokenResponse> RefreshTokenAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostAsync(RefreshTokenOperation, new RefreshTokenRequest(refreshToken), OpenApiJson.Default.RefreshTokenRequest, cancellationToken);

    public async Task DeleteTokenAsync(string accessToken, CancellationToken cancellationToken)
    {
        // A2.3: del_token is a GET with the token in the query string.
        using var response = await http.GetAsync(
            new Uri($"openapi/v1.0/del_token?access_token={Uri.EscapeDataString(accessToken)}", UriKind.Relative),
            cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(OpenApiJson.Default.TokenResponse, cancellationToken);
        ThrowIfError(DeleteTokenOperation, body);
    }

    // A9–A11 calls answer with their errcode rather than throw: a command's result carries the PBX's own errcode.
    // Token values travel only in the query string and are never part of an exception message.
    public Task<OpenApiReply> DialAsync(string accessToken, string caller, string callee, bool autoAnswer, CancellationToken cancellationToken) =>
        PostReplyAsync("call/dial", accessToken, new DialRequest(caller, callee, autoAnswer ? "yes" : "no"), OpenApiJson.Default.DialRequest, cancellationToken);

    public Task<OpenApiReply> HangupAsync(string accessToken, string channelId, CancellationToken cancellationToken) =>
        PostReplyAsync("call/hangup", accessToken, new HangupRequest(channelId), OpenApiJson.Default.HangupRequest, cancellationToken);

    public Task<CallQueryReply> QueryCallAsync(string accessToken, string callId, CancellationToken cancellationToken) =>
        GetReplyAsync("call/query", accessToken, $"call_id={Uri.EscapeDataString(callId)}", OpenApiJson.Default.CallQueryReply, cancellationToken);

    /// <summary>call/query by type (A9): the PBX allows one filter per request, so "every live call" is three requests.</summary>
    public Task<CallQueryReply> QueryCallsByTypeAsync(string accessToken, string type, CancellationToken cancellationToken) =>
        GetReplyAsync("call/query", accessToken, $"type={Uri.EscapeDataString(type)}", OpenApiJson.Default.CallQueryReply, cancellationToken);

    public Task<ExtensionListReply> ListExtensionsAsync(string accessToken, int page, int pageSize, CancellationToken cancellationToken) =>
        GetReplyAsync(
            "extension/list", accessToken, string.Create(CultureInfo.InvariantCulture, $"page={page}&page_size={pageSize}"), OpenApiJson.Default.ExtensionListReply, cancellationToken);

    /// <summary>A11.2 with Unix-second bounds: the one time format that does not depend on the PBX's display-format setting.</summary>
    public Task<CdrSearchReply> SearchCdrAsync(
        string accessToken, long startUnixSeconds, long endUnixSeconds, int page, int pageSize, CancellationToken cancellationToken) =>
        GetReplyAsync(
            "cdr/search",
            accessToken,
            string.Create(CultureInfo.InvariantCulture, $"start_time={startUnixSeconds}&end_time={endUnixSeconds}&page={page}&page_size={pageSize}"),
            OpenApiJson.Default.CdrSearchReply,
            cancellationToken);

    /// <summary>A11.4 step 1: a download link for the recording file (valid 30 minutes).</summary>
    public Task<RecordingDownloadReply> RecordingDownloadAsync(string accessToken, string file, CancellationToken cancellationToken) =>
        GetReplyAsync("recording/download", accessToken, $"file={Uri.EscapeDataString(file)}", OpenApiJson.Default.RecordingDownloadReply, cancellationToken);

    private async Task<TReply> GetReplyAsync<TReply>(string operation, string accessToken, string query, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken)
        where TReply : OpenApiReply
    {
        using var response = await http.GetAsync(OperationUri(operation, accessToken, query), cancellationToken);
        return await ReadReplyAsync(operation, response, reply, cancellationToken);
    }

    private async Task<OpenApiReply> PostReplyAsync<TRequest>(string operation, string accessToken, TRequest request, JsonTypeInfo<TRequest> requestInfo, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(OperationUri(operation, accessToken, null), request, requestInfo, cancellationToken);
        return await ReadReplyAsync(operation, response, OpenApiJson.Default.OpenApiReply, cancellationToken);
    }

    private static Uri OperationUri(string operation, string accessToken, string? query) =>
        new($"openapi/v1.0/{operation}?access_token={Uri.EscapeDataString(accessToken)}{(query is null ? "" : "&" + query)}", UriKind.Relative);

    private static async Task<TReply> ReadReplyAsync<TReply>(string operation, HttpResponseMessage response, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken)
        where TReply : OpenApiReply
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(reply, cancellationToken)
            ?? throw new YeastarApiException($"Yeastar {operation} returned an empty body.");
    }

    private async Task<TokenResponse> PostAsync<TRequest>(string operation, TRequest request, JsonTypeInfo<TRequest> requestInfo, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri($"openapi/v1.0/{operation}", UriKind.Relative), request, requestInfo, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(OpenApiJson.Default.TokenResponse, cancellationToken);
        ThrowIfError(operation, body);
        if (string.IsNullOrEmpty(body.AccessToken) || string.IsNullOrEmpty(body.RefreshToken))
        {
            throw new YeastarApiException($"Yeastar {operation} answered SUCCESS without access_token/refresh_token.");
        }

        return body;
    }

    private static void ThrowIfError(string operation, [System.Diagnostics.CodeAnalysis.NotNull] TokenResponse? body)
    {
        if (body is null)
        {
            throw new YeastarApiException($"Yeastar {operation} returned an empty body.");
        }

        if (body.Errcode != YeastarErrorCodes.Success)
        {
            throw new YeastarApiException(operation, body.Errcode, body.Errmsg ?? "");
        }
    }

    private sealed record GetTokenRequest(string Username, string Password);

    // Source-generated serialization (web defaults, snake_case as the Open API writes it): no reflection, so the bridge
    // compiles ahead of time (see Telephony.PbxBridge.csproj).
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(GetTokenRequest))]
    [JsonSerializable(typeof(RefreshTokenRequest))]
    [JsonSerializable(typeof(DialRequest))]
    [JsonSerializable(typeof(HangupRequest))]
    [JsonSerializable(typeof(TokenResponse))]
    [JsonSerializable(typeof(OpenApiReply))]
    [JsonSerializable(typeof(CallQueryReply))]
    [JsonSerializable(typeof(ExtensionListReply))]
    [JsonSerializable(typeof(CdrSearchReply))]
    [JsonSerializable(typeof(RecordingDownloadReply))]
    private sealed partial class OpenApiJson : JsonSerializerContext
    {
    }

    private sealed record RefreshTokenRequest(string RefreshToken);

    private sealed record DialRequest(string Caller, string Callee, string AutoAnswer);

    private sealed record HangupRequest(string ChannelId);

    /// <summary>The A3 envelope; <c>call_id</c> is set by call/dial and call/hangup (A9).</summary>
    internal class OpenApiReply
    {
        public int Errcode { get; init; }

        public string? Errmsg { get; init; }

        public string? CallId { get; init; }
    }

    /// <summary>call/query (A9): <c>data[] {call_id, members[]}</c>; each member is a one-key wrapper (A8.1).</summary>
    internal sealed class CallQueryReply : OpenApiReply
    {
        public List<CallInfo>? Data { get; init; }
    }

    internal sealed class CallInfo
    {
        public string? CallId { get; init; }

        public List<Dictionary<string, CallMemberInfo>>? Members { get; init; }
    }

    internal sealed class CallMemberInfo
    {
        public string? Number { get; init; }

        public string? ChannelId { get; init; }
    }

    /// <summary>extension/list (A10): <c>total_number</c> and <c>data[] Ext_Basicinfo</c>.</summary>
    internal sealed class ExtensionListReply : OpenApiReply
    {
        public int TotalNumber { get; init; }

        public List<ExtensionInfo>? Data { get; init; }
    }

    internal sealed class ExtensionInfo
    {
        public string? Number { get; init; }

        public string? CallerIdName { get; init; }

        public string? PresenceStatus { get; init; }

        public Dictionary<string, OnlineStatusInfo>? OnlineStatus { get; init; }
    }

    internal sealed class OnlineStatusInfo
    {
        public int Status { get; init; }
    }

    /// <summary>cdr/search (A11.2): rows are kept as raw JSON and forwarded unchanged.</summary>
    internal sealed class CdrSearchReply : OpenApiReply
    {
        public int TotalNumber { get; init; }

        public List<JsonElement>? Data { get; init; }
    }

    /// <summary>recording/download (A11.4): the file and the link (relative to the PBX's base URL) that serves it.</summary>
    internal sealed class RecordingDownloadReply : OpenApiReply
    {
        public string? File { get; init; }

        public string? DownloadResourceUrl { get; init; }
    }

    /// <summary>A2.1 response (also the error envelope of A3: only errcode/errmsg are set then).</summary>
    internal sealed class TokenResponse
    {
        public int Errcode { get; init; }

        public string? Errmsg { get; init; }

        public string? AccessToken { get; init; }

        public int AccessTokenExpireTime { get; init; }

        public string? RefreshToken { get; init; }

        public int RefreshTokenExpireTime { get; init; }
    }
}
