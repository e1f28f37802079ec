using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace Telephony.Api.Tests.LiveEvents;

/// <summary>
/// The data-protection key ring that signs hub tokens lives in PostgreSQL for every replica (issue 12 §1), sealed with
/// TELEPHONY_SECRETS_KEY: the database holds no key in the clear, and a token still works.
/// </summary>
public sealed class KeyRingTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_keys_in_the_database_are_sealed_and_a_hub_token_made_with_them_connects()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var negotiated = await agent.PostAsync("api/negotiate", content: null, Ct);
        negotiated.EnsureSuccessStatusCode();
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;

        await using (var hub = await api.ConnectHubAsync(token))
        {
            // Connected with the token alone: the key that signed it was read back from the database and opened.
        }

        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        var keys = (await connection.QueryAsync<string>("select xml from data_protection_keys")).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("sealedWithSecretsKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }
}
