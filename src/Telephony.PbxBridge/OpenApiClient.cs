using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.PbxBridge;

/// <summary>
/// The few P-Series Open API calls the bridge needs (A2). Every request carries <c>User-Agent: OpenAPI</c>
/// (set on the HttpClient); errors arrive as HTTP 200 with errcode ≠ 0 and become <see cref="YeastarApiException"/>.
/// </summary>
internal sealed class OpenApiClient(HttpClient http)
{
    public const string HttpClientName = "Yeastar";
    public const string GetTokenOperation = "get_token";
    public const string RefreshTokenOperation = "refresh_token";
    public const string DeleteTokenOperation = "del_token";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public Task<TokenResponse> GetTokenAsync(string clientId, string clientSecret, CancellationToken cancellationToken) =>
        PostAsync(GetTokenOperation, new GetTokenRequest(clientId, clientSecret), cancellationToken);

    public Task<TokenResponse> RefreshTokenAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostAsync(RefreshTokenOperation, new RefreshTokenRequest(refreshToken), cancellationToken);

    public async Task DeleteTokenAsync(string accessToken, CancellationToken cancellationToken)
    {
        // A2.3: del_token is a GET with the token in the query string.
        using var response = await http.GetAsync(
            new Uri($"openapi/v1.0/del_token?access_token={Uri.EscapeDataString(accessToken)}", UriKind.Relative),
            cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(Json, cancellationToken);
        ThrowIfError(DeleteTokenOperation, body);
    }

    private async Task<TokenResponse> PostAsync<TRequest>(string operation, TRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri($"openapi/v1.0/{operation}", UriKind.Relative), request, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(Json, cancellationToken);
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

    private sealed record RefreshTokenRequest(string RefreshToken);

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
