using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// The S-Series API v2.0.0 calls the bridge needs (api.md B1–B6): every call is a POST of JSON to
/// <c>/api/v2.0.0/{endpoint}?token=</c>, answered HTTP 200 with <c>status</c> "Success" or "Failed" + <c>errno</c> (a string).
/// Tokens travel only in the query string and never appear in exception messages.
/// </summary>
internal sealed partial class SSeriesClient(HttpClient http)
{
    public const string HttpClientName = "YeastarSSeries";
    public const string LoginOperation = "login";
    public const string EventVersion = "2.0.0";

    /// <summary>B2: <c>password</c> is the MD5 of the API password as 32 lowercase hex characters.</summary>
    public static string HashPassword(string password)
    {
#pragma warning disable CA5351 // The S-Series login protocol prescribes MD5 (api.md B2); the bridge cannot choose another hash.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5351
    }

    /// <summary>B2 login with <c>version</c> "2.0.0" and the absolute event URL (<c>urltag</c> "1", url = host:port/path).</summary>
    public Task<Reply> LoginAsync(string username, string password, SSeriesEventTarget target, CancellationToken cancellationToken) =>
        PostAsync(LoginOperation, token: null, new LoginRequest(username, HashPassword(password), target.Port, EventVersion, target.UrlWithoutScheme, "1"), SSeriesJson.Default.LoginRequest, cancellationToken);

    /// <summary>B2 heartbeat: extends the token to 30 minutes and re-states the event target.</summary>
    public Task<Reply> HeartbeatAsync(string token, SSeriesEventTarget target, CancellationToken cancellationToken) =>
        PostAsync("heartbeat", token, new HeartbeatRequest(target.Host, target.Port, EventVersion, target.UrlWithoutScheme, "1"), SSeriesJson.Default.HeartbeatRequest, cancellationToken);

    public Task<Reply> LogoutAsync(string token, CancellationToken cancellationToken) =>
        PostAsync("logout", token, new EmptyRequest(), SSeriesJson.Default.EmptyRequest, cancellationToken);

    public Task<Reply> DialAsync(string token, string caller, string callee, bool autoAnswer, CancellationToken cancellationToken) =>
        PostAsync("call/dial", token, new DialRequest(caller, callee, autoAnswer ? "yes" : "no"), SSeriesJson.Default.DialRequest, cancellationToken);

    public Task<Reply> HangupAsync(string token, string channelId, CancellationToken cancellationToken) =>
        PostAsync("call/hangup", token, new HangupRequest(channelId), SSeriesJson.Default.HangupRequest, cancellationToken);

    public Task<Reply> QueryCallAsync(string token, string callId, CancellationToken cancellationToken) =>
        PostAsync("call/query", token, new CallQueryRequest(callId), SSeriesJson.Default.CallQueryRequest, cancellationToken);

    public Task<Reply> ListExtensionsAsync(string token, CancellationToken cancellationToken) =>
        PostAsync("extension/list", token, new EmptyRequest(), SSeriesJson.Default.EmptyRequest, cancellationToken);

    /// <summary>B6 cdr/get_random; times are PBX-local "yyyy-MM-dd HH:mm:ss".</summary>
    public Task<Reply> CdrRandomAsync(string token, string start, string end, CancellationToken cancellationToken) =>
        PostAsync("cdr/get_random", token, new CdrRandomRequest("all", start, end), SSeriesJson.Default.CdrRandomRequest, cancellationToken);

    /// <summary>
    /// B6 CSV download with the single-use random. The v2 parameter list is UNKNOWN (Part D); the v1 names are sent.
    /// A JSON body instead of CSV is an error envelope and is returned as <paramref name="error"/>.
    /// </summary>
    public async Task<(string? Csv, Reply? Error)> DownloadCdrAsync(string token, string start, string end, string random, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"number=all&extid=all&starttime={Uri.EscapeDataString(start)}&endtime={Uri.EscapeDataString(end)}&random={Uri.EscapeDataString(random)}&token={Uri.EscapeDataString(token)}");
        using var response = await http.GetAsync(new Uri($"api/v2.0.0/cdr/download?{query}", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.TrimStart().StartsWith('{'))
        {
            return (null, JsonSerializer.Deserialize(text, SSeriesJson.Default.Reply) ?? throw new JsonException("empty reply"));
        }

        return (text, null);
    }

    /// <summary>B6 recording/get_random: a single-use random (valid 30 s) to download the recording file with.</summary>
    public Task<Reply> RecordingRandomAsync(string token, string recording, CancellationToken cancellationToken) =>
        PostAsync("recording/get_random", token, new RecordingRandomRequest(recording), SSeriesJson.Default.RecordingRandomRequest, cancellationToken);

    private async Task<Reply> PostAsync<TRequest>(string operation, string? token, TRequest request, JsonTypeInfo<TRequest> requestInfo, CancellationToken cancellationToken)
    {
        var path = token is null ? $"api/v2.0.0/{operation}" : $"api/v2.0.0/{operation}?token={Uri.EscapeDataString(token)}";
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), request, requestInfo, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(SSeriesJson.Default.Reply, cancellationToken)
            ?? throw new YeastarApiException($"Yeastar S-Series {operation} returned an empty body.");
    }

    private sealed record LoginRequest(string Username, string Password, string Port, string Version, string Url, string Urltag);

    private sealed record HeartbeatRequest(string Ipaddr, string Port, string Version, string Url, string Urltag);

    private sealed record DialRequest(string Caller, string Callee, string Autoanswer);

    private sealed record HangupRequest(string Channelid);

    private sealed record CallQueryRequest(string Callid);

    private sealed record CdrRandomRequest(string Number, string Starttime, string Endtime);

    private sealed record RecordingRandomRequest(string Recording);

    /// <summary><c>{}</c>: the body of calls that take no parameters.</summary>
    private sealed record EmptyRequest;

    // Source-generated serialization (web defaults, nulls left out): no reflection, so the bridge compiles ahead of time.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(LoginRequest))]
    [JsonSerializable(typeof(HeartbeatRequest))]
    [JsonSerializable(typeof(DialRequest))]
    [JsonSerializable(typeof(HangupRequest))]
    [JsonSerializable(typeof(CallQueryRequest))]
    [JsonSerializable(typeof(CdrRandomRequest))]
    [JsonSerializable(typeof(RecordingRandomRequest))]
    [JsonSerializable(typeof(EmptyRequest))]
    [JsonSerializable(typeof(Reply))]
    private sealed partial class SSeriesJson : JsonSerializerContext
    {
    }

    /// <summary>Any S-Series answer; fields absent from a given endpoint stay null.</summary>
    internal sealed class Reply
    {
        public string? Status { get; init; }

        public string? Errno { get; init; }

        public string? Token { get; init; }

        public string? Callid { get; init; }

        public string? Random { get; init; }

        public List<CallInfo>? Calls { get; init; }

        public List<ExtensionInfo>? Extlist { get; init; }

        public bool IsSuccess => string.Equals(Status, "Success", StringComparison.OrdinalIgnoreCase);

        /// <summary>errno as a number (B1: it is a string); -1 when a failure carries none.</summary>
        public int ErrnoValue => int.TryParse(Errno, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1;
    }

    internal sealed class CallInfo
    {
        public string? Callid { get; init; }

        public List<Dictionary<string, MemberInfo>>? Members { get; init; }
    }

    internal sealed class MemberInfo
    {
        public string? Number { get; init; }

        public string? Channelid { get; init; }
    }

    internal sealed class ExtensionInfo
    {
        public string? Number { get; init; }

        public string? Status { get; init; }

        public string? Username { get; init; }
    }
}
