using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Http;

public sealed class RateLimitTests(RateLimitedApiFactory api) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        var other = await TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.AgentKey);
        for (var i = 0; i < RateLimitedApiFactory.PermitsPerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/calls/active", ct)).StatusCode);
        }

        using var limited = await client.GetAsync("api/calls/active", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        using var otherClient = api.CreateClient(other.AgentKey);
        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("api/calls/active", ct)).StatusCode);
    }
}
