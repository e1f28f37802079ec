using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Telephony.Api.Hosting;

/// <summary>
/// How a push reaches browsers connected to other replicas (issue 12 §2): through Azure SignalR Service (Default mode)
/// when <c>AZURE_SIGNALR_CONNECTION_STRING</c> is set — browsers negotiate with the API as today and are redirected to
/// the service; else through the SignalR Redis backplane when <c>REDIS_URL</c> is set (self-hosted replicas); else the
/// hub of this process alone (one replica).
/// </summary>
internal static class SignalRScaleOut
{
    public const string RedisChannelPrefix = "telephony-signalr";

    public static ISignalRServerBuilder AddTelephonyScaleOut(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        if (configuration["AZURE_SIGNALR_CONNECTION_STRING"] is { Length: > 0 } azure)
        {
            return signalR.AddAzureSignalR(o => o.ConnectionString = azure);
        }

        if (configuration["REDIS_URL"] is { Length: > 0 } redis)
        {
            // A prefix of its own, so the backplane's channels never meet the customer cache's keys on a shared Redis.
            return signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal(RedisChannelPrefix));
        }

        return signalR;
    }
}
