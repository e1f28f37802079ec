using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Telephony.Api.Tests.Customers;

/// <summary>The API with a real HTTP CRM behind CRM_LOOKUP_URL that answers slower than the pop-up budget.</summary>
public sealed class SlowCrmApiFactory : TelephonyApiFactory
{
    public static readonly TimeSpan CrmDelay = TimeSpan.FromSeconds(1.5);

    private WebApplication? _crm;

    public override async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _crm = builder.Build();
        _crm.MapGet("/lookup", async (string phone, string tenant) =>
        {
            await Task.Delay(CrmDelay);
            return phone == "+79160002222"
                ? Results.Json(new { customerId = "crm-1", name = "Pavel Kozlov", phone, loyaltyTier = "silver", recentOrders = new[] { new { orderId = "crm-o-1", placedAt = DateTimeOffset.UtcNow, total = 12.3m } } })
                : Results.NotFound();
        });
        await _crm.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_crm is not null)
        {
            await _crm.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CRM_LOOKUP_URL", _crm!.Urls.First() + "/lookup");
    }
}
