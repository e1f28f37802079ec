using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.PSeries;

/// <summary>
/// Owns the bridge's one Yeastar token pair. The PBX allows only 8 valid access tokens per app (A2), so the
/// bridge keeps the newest pair, refreshes it at ~80% of its lifetime and logs in again only when refreshing fails.
/// Every login goes through the <see cref="LoginGuard"/>, so no caller retries into the PBX's IP block.
/// </summary>
internal sealed partial class PSeriesTokenClient(
    IHttpClientFactory httpClientFactory,
    IOptions<PbxBridgeOptions> options,
    LoginGuard guard,
    TimeProvider time,
    ILogger<PSeriesTokenClient> logger) : IDisposable
{
    private const double RefreshAtFraction = 0.8;

    private readonly SemaphoreSlim gate = new(1, 1);
    private PSeriesToken? current;

    /// <summary>A usable access token: the current one, a refreshed one, or a fresh login.</summary>
    public async Task<PSeriesToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (current is { Rejected: false } token && now < token.RefreshAt)
            {
                return token;
            }

            if (current is not null && now < current.RefreshExpiresAt)
            {
                try
                {
                    var refreshed = await CreateClient().RefreshTokenAsync(current.RefreshToken, cancellationToken);
                    current = ToToken(refreshed);
                    Log.TokenRefreshed(logger, current.AccessExpiresAt);
                    return current;
                }
                catch (Exception ex) when (ex is YeastarApiException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    Log.RefreshFailed(logger, ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX"));
                }
            }

            current = null;
            current = ToToken(await LogInAsync(cancellationToken));
            Log.TokenObtained(logger, current.AccessExpiresAt);
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The PBX answered 10004 for this token: the next <see cref="GetTokenAsync"/> must not hand it out again.</summary>
    public void MarkRejected(PSeriesToken token)
    {
        token.Rejected = true;
        Log.TokenRejected(logger);
    }

    /// <summary>Revokes the current token on shutdown so it does not hold one of the PBX's 8 token slots for 30 minutes.</summary>
    public async Task RevokeAsync(CancellationToken cancellationToken)
    {
        var token = Interlocked.Exchange(ref current, null);
        if (token is null || token.Rejected || time.GetUtcNow() >= token.AccessExpiresAt)
        {
            return;
        }

        try
        {
            await CreateClient().DeleteTokenAsync(token.AccessToken, cancellationToken);
            Log.TokenRevoked(logger);
        }
        catch (Exception ex) when (ex is YeastarApiException or HttpRequestException or OperationCanceledException)
        {
            Log.RevokeFailed(logger, ex is YeastarApiException ? ex.Message : NetworkErrors.Describe(ex, "PBX"));
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task<PSeriesClient.TokenResponse> LogInAsync(CancellationToken cancellationToken)
    {
        guard.ThrowIfOnHold();
        var settings = options.Value;
        try
        {
            var response = await CreateClient().GetTokenAsync(settings.YeastarUsername, settings.YeastarPassword, cancellationToken);
            guard.Succeeded();
            return response;
        }
        catch (YeastarApiException ex) when (ex.NeedsOperatorAction)
        {
            // Only -1 (wrong Client ID/Secret) is a failed login the PBX counts; 70004 means it already blocked us.
            guard.Refused(ex, countsTowardBlock: ex.ErrorCode == YeastarErrorCodes.Failure, TimeSpan.FromSeconds(settings.YeastarAuthRetrySeconds));
            throw;
        }
    }

    // A fresh client per call so IHttpClientFactory can rotate handlers (DNS changes) under a singleton that lives for days.
    private PSeriesClient CreateClient() => new(httpClientFactory.CreateClient(PSeriesClient.HttpClientName));

    private PSeriesToken ToToken(PSeriesClient.TokenResponse response)
    {
        var now = time.GetUtcNow();
        var accessLifetime = TimeSpan.FromSeconds(Math.Max(1, response.AccessTokenExpireTime));
        var refreshLifetime = TimeSpan.FromSeconds(Math.Max(1, response.RefreshTokenExpireTime));
        return new PSeriesToken(
            response.AccessToken!,
            response.RefreshToken!,
            now + (accessLifetime * RefreshAtFraction),
            now + accessLifetime,
            now + refreshLifetime);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Obtained a Yeastar access token (expires {ExpiresAt:O})")]
        public static partial void TokenObtained(ILogger logger, DateTimeOffset expiresAt);

        [LoggerMessage(2, LogLevel.Information, "Refreshed the Yeastar access token (expires {ExpiresAt:O})")]
        public static partial void TokenRefreshed(ILogger logger, DateTimeOffset expiresAt);

        [LoggerMessage(3, LogLevel.Warning, "Refreshing the Yeastar access token failed, logging in again: {Reason}")]
        public static partial void RefreshFailed(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Information, "Revoked the Yeastar access token")]
        public static partial void TokenRevoked(ILogger logger);

        [LoggerMessage(5, LogLevel.Warning, "Revoking the Yeastar access token failed: {Reason}")]
        public static partial void RevokeFailed(ILogger logger, string reason);

        [LoggerMessage(6, LogLevel.Information, "The PBX reported the access token expired (errcode 10004); a new one will be used")]
        public static partial void TokenRejected(ILogger logger);
    }
}
