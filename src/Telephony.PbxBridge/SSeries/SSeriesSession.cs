using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.CatchUp;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Owns the bridge's one S-Series token (api.md B2). Every login anywhere in the bridge goes through here and the
/// <see cref="LoginGuard"/>: five failures lock the bridge's IP for ten minutes, and retrying into that lock only
/// prolongs the outage.
/// </summary>
internal sealed partial class SSeriesSession(
    IHttpClientFactory httpClientFactory,
    IServer server,
    IOptions<PbxBridgeOptions> options,
    LoginGuard guard,
    SSeriesPushSecret pushSecret,
    CdrWatermark watermark,
    TimeProvider time,
    ILogger<SSeriesSession> logger) : IDisposable
{
    /// <summary>B2: a locked IP stays locked for ten minutes; never try again sooner.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private string? current;
    private int logins;

    /// <summary>How many logins succeeded so far; a change tells the worker a new session began (backfill, sync).</summary>
    public int Logins => Volatile.Read(ref logins);

    /// <summary>The current token, or a fresh login. Throws <see cref="YeastarApiException"/> while logins are blocked.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is { } token)
            {
                return token;
            }

            guard.ThrowIfOnHold();
            var settings = options.Value;

            // A login names where events are pushed from now on: pin the gap before the first push can move the mark.
            watermark.MarkGap(settings.GetPbxTimeZone(), time.GetUtcNow());
            var reply = await CreateClient().LoginAsync(settings.YeastarUsername, settings.YeastarPassword, EventTarget(), cancellationToken);
            if (!reply.IsSuccess || string.IsNullOrEmpty(reply.Token))
            {
                var errno = reply.IsSuccess ? -1 : reply.ErrnoValue;
                var refusal = new YeastarApiException(SSeriesClient.LoginOperation, errno, reply.IsSuccess ? "Success without a token" : "Failed");

                // Only 20003 (wrong username or password) counts towards the lock; 20002 means the IP is already locked.
                guard.Refused(refusal, countsTowardBlock: errno == SSeriesErrorCodes.LoginInvalid, LoginRetryDelay(errno));
                throw refusal;
            }

            guard.Succeeded();
            current = reply.Token;
            Interlocked.Increment(ref logins);
            Log.LoggedIn(logger, EventTarget().ToString());
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The PBX answered a token error (20004/20005/20006): the next call logs in again.</summary>
    public void MarkRejected(string token) => Interlocked.CompareExchange(ref current, null, token);

    /// <summary>Runs a call with the token; on a token error logs in once more and retries.</summary>
    public async Task<SSeriesClient.Reply> CallAsync(
        Func<SSeriesClient, string, CancellationToken, Task<SSeriesClient.Reply>> call, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(cancellationToken);
        var reply = await call(CreateClient(), token, cancellationToken);
        if (reply.IsSuccess || !SSeriesErrorCodes.IsTokenError(reply.ErrnoValue))
        {
            return reply;
        }

        MarkRejected(token);
        token = await GetTokenAsync(cancellationToken);
        return await call(CreateClient(), token, cancellationToken);
    }

    /// <summary>B6 CSV download with a single-use random (no retry: a second try would need a new random).</summary>
    public async Task<(string? Csv, SSeriesClient.Reply? Error)> DownloadCdrAsync(string start, string end, string random, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(cancellationToken);
        return await CreateClient().DownloadCdrAsync(token, start, end, random, cancellationToken);
    }

    /// <summary>Logs out (B2) so the token stops receiving events; failures are only logged.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        var token = Interlocked.Exchange(ref current, null);
        if (token is null)
        {
            return;
        }

        try
        {
            await CreateClient().LogoutAsync(token, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or Polly.ExecutionRejectedException)
        {
            Log.LogoutFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>
    /// BRIDGE_PUBLIC_URL + <see cref="SSeriesEventListener.Path"/> + the push secret, or, without BRIDGE_PUBLIC_URL, the
    /// address the bridge listens on (right for a bridge bound to a concrete LAN address; 0.0.0.0 or localhost need it).
    /// </summary>
    public SSeriesEventTarget EventTarget()
    {
        var configured = options.Value.BridgePublicUrl;
        var baseUrl = !string.IsNullOrWhiteSpace(configured)
            ? configured.Trim()
            : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => !a.Contains("://0.0.0.0", StringComparison.Ordinal)
                && !a.Contains("://[::]", StringComparison.Ordinal) && !a.Contains("://+", StringComparison.Ordinal) && !a.Contains("://*", StringComparison.Ordinal)
                && !a.EndsWith(":0", StringComparison.Ordinal));
        if (baseUrl is null || !Uri.TryCreate(baseUrl.TrimEnd('/') + SSeriesEventListener.Path, UriKind.Absolute, out var url))
        {
            throw new YeastarApiException(
                "The bridge does not know the URL the PBX should push events to: set BRIDGE_PUBLIC_URL (e.g. http://10.0.0.7:3009).");
        }

        return new SSeriesEventTarget(url, pushSecret);
    }

    public void Dispose() => gate.Dispose();

    /// <summary>The one place that turns a login errno into a wait (B2/B7).</summary>
    private TimeSpan LoginRetryDelay(int errno)
    {
        var authRetry = TimeSpan.FromSeconds(options.Value.YeastarAuthRetrySeconds);
        return errno switch
        {
            SSeriesErrorCodes.LoginLocked => authRetry > LockoutDuration ? authRetry : LockoutDuration,
            SSeriesErrorCodes.LoginInvalid => authRetry,
            _ => TimeSpan.FromSeconds(5),
        };
    }

    private SSeriesClient CreateClient() => new(httpClientFactory.CreateClient(SSeriesClient.HttpClientName));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Logged in to the Yeastar S-Series API; events are pushed to {EventUrl}")]
        public static partial void LoggedIn(ILogger logger, string eventUrl);

        [LoggerMessage(2, LogLevel.Warning, "Yeastar S-Series logout failed ({Kind})")]
        public static partial void LogoutFailed(ILogger logger, string kind);
    }
}
