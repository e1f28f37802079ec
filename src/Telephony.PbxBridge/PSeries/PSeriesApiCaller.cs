namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// Runs an Open API call (A9–A11) with the bridge's one token (the same owner as the WebSocket, A2's 8-token limit);
/// on 10004 TOKEN EXPIRED the token is marked rejected and the call is retried once with a fresh one.
/// </summary>
internal sealed class PSeriesApiCaller(IHttpClientFactory httpClientFactory, PSeriesTokenClient tokens)
{
    public async Task<TReply> CallAsync<TReply>(
        Func<PSeriesClient, string, CancellationToken, Task<TReply>> call, CancellationToken cancellationToken)
        where TReply : PSeriesClient.OpenApiReply
    {
        var token = await tokens.GetTokenAsync(cancellationToken);
        var reply = await call(CreateClient(), token.AccessToken, cancellationToken);
        if (reply.Errcode != YeastarErrorCodes.TokenExpired)
        {
            return reply;
        }

        tokens.MarkRejected(token);
        token = await tokens.GetTokenAsync(cancellationToken);
        return await call(CreateClient(), token.AccessToken, cancellationToken);
    }

    // A fresh client per call so IHttpClientFactory can rotate handlers under a long-lived singleton.
    private PSeriesClient CreateClient() => new(httpClientFactory.CreateClient(PSeriesClient.HttpClientName));
}
