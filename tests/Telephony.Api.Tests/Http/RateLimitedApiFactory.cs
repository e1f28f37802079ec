using Microsoft.AspNetCore.Hosting;

namespace Telephony.Api.Tests.Http;

/// <summary>A second host with a tiny per-key limit, so the limiter can be hit without slowing the shared host.</summary>
public sealed class RateLimitedApiFactory : TelephonyApiFactory
{
    public const int PermitsPerMinute = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimit:PermitsPerMinute", PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
