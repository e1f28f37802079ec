using Microsoft.AspNetCore.Hosting;

namespace Telephony.Api.Tests.Http;

/// <summary>A second host whose PostgreSQL commands give up after a second, so a busy database can be made to time out.</summary>
public sealed class ImpatientDatabaseApiFactory : TelephonyApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DATABASE_URL", Database.ConnectionString + ";Command Timeout=1");
    }
}
