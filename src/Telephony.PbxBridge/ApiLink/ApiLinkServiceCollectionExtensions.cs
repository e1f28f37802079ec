using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.ApiLink;

internal static class ApiLinkServiceCollectionExtensions
{
    // The same connection recycling the factory's default handler has; see AddTelephonyApiClient.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Registers <see cref="TelephonyApiClient"/> once: the bridge key as a bearer token, the standard resilience handler
    /// (ApiForwarder retries in order itself, so unsafe methods are not retried), and the long-poll client beside it.
    /// </summary>
    /// <param name="configure">Runs first on every client, e.g. to add a fleet unit's lease headers.</param>
    public static IServiceCollection AddTelephonyApiClient(this IServiceCollection services, Action<IHttpClientBuilder>? configure = null)
    {
        // Singletons (the forwarder, the command poll, the syncs) hold the typed client for the host's lifetime, so its
        // handler is never rotated; pooled connections are recycled instead, as the factory's default handler does.
        var api = services.AddHttpClient<TelephonyApiClient>(TelephonyApiClient.HttpClientName, ConfigureApiHttpClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        configure?.Invoke(api);
        api.RedactLoggedHeaders(_ => true)
            .AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());

        // The command long poll: its own client, since the wait outlasts the resilience handler's timeouts.
        var poll = services.AddHttpClient(TelephonyApiClient.LongPollClientName, (sp, http) =>
            {
                ConfigureApiHttpClient(sp, http);
                http.Timeout = TelephonyApiClient.LongPollTimeout;
            });
        configure?.Invoke(poll);
        poll.RedactLoggedHeaders(_ => true);

        // Recording uploads: files of many megabytes, retried by the archiver rather than by a handler.
        var transfer = services.AddHttpClient(TelephonyApiClient.TransferClientName, (sp, http) =>
            {
                ConfigureApiHttpClient(sp, http);
                http.Timeout = TelephonyApiClient.TransferTimeout;
            });
        configure?.Invoke(transfer);
        transfer.RedactLoggedHeaders(_ => true);
        return services;
    }

    private static void ConfigureApiHttpClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<PbxBridgeOptions>>().Value;
        http.BaseAddress = options.GetTelephonyApiBaseUri();
        http.DefaultRequestHeaders.Authorization = new("Bearer", options.TelephonyBridgeKey);
    }
}
