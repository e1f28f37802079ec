using Microsoft.AspNetCore.Hosting;

namespace Telephony.Api.Tests.Fleet;

/// <summary>A second host started without TELEPHONY_SECRETS_KEY: it must refuse to store a client secret.</summary>
public sealed class NoSecretsKeyApiFactory : TelephonyApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("TELEPHONY_SECRETS_KEY", "");
        builder.UseSetting("TELEPHONY_SECRETS_KEY_PREVIOUS", "");
    }
}
